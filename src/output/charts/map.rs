//! Maps of where the duds lie, one panel per scenario with an
//! area (small multiples on one shared colour scale, so that panels
//! compare at a glance): the expected number of UXO per hectare, on a log
//! colour scale, and the probability that a cell holds at least one UXO.
//! The strikes' target rectangles are outlined; cells are square on
//! screen; cells where no replicate left a UXO stay white.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::layout::{self, ColorBar, Format, MAP_COLUMNS, MapSpec, Point, Rect};
use super::style::{self, LegendItem, Swatch};
use super::{Axis, CaptionText, DrawResult, Figure};
use crate::engine::spatial::Grid;
use crate::format;
use crate::scenario::ScenarioFile;
use crate::stats::RunStats;
use crate::stats::RunSummary;

/// What a map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapKind {
    /// Expected UXO per hectare, on a log colour scale.
    Density,
    /// Probability that a cell holds at least one UXO, on a linear scale.
    Probability,
}

/// What a map's cells stand for, beside their scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    /// UXO right after the strikes.
    Contamination,
    /// Live UXO at the steps the scenario file maps, clearance included.
    LiveAt,
    /// The chance that a searched cell still holds a live UXO.
    ResidualRisk,
}

/// Colour steps of the scale: enough to look continuous, few enough that
/// neighbouring cells of one colour merge into one rectangle.
const LEVELS: usize = 64;
/// Decades a log colour scale spans.
const DECADES: i32 = 4;
/// Probabilities below this are drawn as traces.
const TRACE_PROBABILITY: f64 = 0.01;
/// The colour of cells with a trace of UXO: some, but below the scale.
const TRACE: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);

/// How a cell is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shade {
    /// Some UXO, but below the colour scale.
    Trace,
    /// A step of the colour scale, from 0 (lightest) to `LEVELS - 1`.
    Level(usize),
}

/// One scenario's map.
struct Panel {
    /// The scenario's place in the file (its colour).
    index: usize,
    name: String,
    grid: Grid,
    /// The value of each cell, row by row from the origin: UXO per hectare
    /// or probability; 0 where no replicate left a UXO.
    values: Vec<f64>,
    /// The strikes' target rectangles `[x_min, y_min, x_max, y_max]`.
    targets: Vec<[f64; 4]>,
    /// Figures under the name.
    note: String,
    /// The part of the area shown, `[x_min, y_min, x_max, y_max]`.
    view: [f64; 4],
    /// Where the area lies on the Earth, when it is placed: the axes then
    /// show its coordinate system's eastings and northings.
    place: Option<Place>,
}

/// A placed area: its coordinate system and its lower-left corner in it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Place {
    epsg: u32,
    origin: [f64; 2],
}

/// A map chart: one panel per scenario with an area.
pub struct SpatialMap {
    kind: MapKind,
    content: Content,
    replicates: u64,
    panels: Vec<Panel>,
    /// Colour scale from `lo` (lightest) to `hi` (darkest).
    lo: f64,
    hi: f64,
    /// Values above 0 and below this are traces.
    trace: f64,
    /// Every panel shows the same part of the same grid, so they share
    /// their axes.
    shared_view: bool,
    /// Some panel shows only part of its area.
    zoomed: bool,
}

impl SpatialMap {
    /// The map of every scenario with an area; `None` when none has one.
    pub fn new(
        kind: MapKind,
        file: &ScenarioFile,
        summary: &RunSummary,
        stats: &RunStats,
    ) -> Option<Self> {
        let mut panels = Vec::new();
        for (index, ((scenario, s), sum)) in file
            .scenarios
            .iter()
            .zip(&stats.scenarios)
            .zip(&summary.scenarios)
            .enumerate()
        {
            let (Some(area), Some(grid_stats)) = (scenario.area(), &s.grid) else {
                continue;
            };
            let grid = Grid::new(area);
            let (values, note) = match kind {
                MapKind::Density => {
                    let mean = grid_stats.mean_uxo();
                    let values: Vec<f64> = mean
                        .iter()
                        .enumerate()
                        .map(|(cell, m)| m / cell_hectares(&grid, cell))
                        .collect();
                    let peak = values.iter().copied().fold(0.0, f64::max);
                    let in_area: f64 = mean.iter().sum();
                    let outside = grid_stats.outside.mean();
                    let mut note = format!(
                        "peak {} per ha; {} UXO in the area",
                        format::two_significant(peak),
                        format::rounded(in_area, sum.unexploded.se)
                    );
                    if outside >= 0.5 {
                        note.push_str(&format!(", {} outside", format::number(outside)));
                    } else if outside > 0.0 {
                        note.push_str(", under 1 outside");
                    }
                    (values, note + " (means)")
                }
                MapKind::Probability => {
                    let note = match &sum.contaminated_area_m2 {
                        Some(a) if a.min == a.max => format!(
                            "contaminated area: {} km² in every replicate",
                            format::three_significant(a.mean / 1e6)
                        ),
                        Some(a) => format!(
                            "contaminated: mean {} km², 90% from {} to {} km²",
                            format::three_significant(a.mean / 1e6),
                            format::three_significant(a.p05 / 1e6),
                            format::three_significant(a.p95 / 1e6)
                        ),
                        None => String::new(),
                    };
                    (grid_stats.p_contaminated(), note)
                }
            };
            panels.push(Panel::new(
                index,
                scenario.name.clone(),
                grid,
                values,
                scenario,
                note,
            ));
        }
        Self::from_panels(kind, Content::Contamination, summary.replicates, panels)
    }

    /// Maps of the expected live UXO per hectare at the steps the scenario
    /// file maps (`maps_at`), one panel per scenario and step; `None` when
    /// no step is mapped.
    pub fn live(file: &ScenarioFile, summary: &RunSummary, stats: &RunStats) -> Option<Self> {
        let mut panels = Vec::new();
        for (index, (scenario, s)) in file.scenarios.iter().zip(&stats.scenarios).enumerate() {
            let (Some(area), Some(map)) = (scenario.area(), &s.map) else {
                continue;
            };
            for (step, mean, _) in map.live_maps(summary.replicates) {
                if panels.len() == super::MAX_PANELS {
                    break;
                }
                let grid = Grid::new(area);
                let values: Vec<f64> = mean
                    .iter()
                    .enumerate()
                    .map(|(cell, m)| m / cell_hectares(&grid, cell))
                    .collect();
                let in_area: f64 = mean.iter().sum();
                let note = format!("{} live UXO in the area (mean)", format::number(in_area));
                panels.push(Panel::new(
                    index,
                    format!("{}, {} {step}", scenario.name, summary.step_unit),
                    grid,
                    values,
                    scenario,
                    note,
                ));
            }
        }
        Self::from_panels(
            MapKind::Density,
            Content::LiveAt,
            summary.replicates,
            panels,
        )
    }

    /// Maps of the chance that a cell the teams searched still holds a
    /// live UXO after its last search, one panel per scenario whose teams
    /// search the map; `None` when none does.
    pub fn residual(file: &ScenarioFile, summary: &RunSummary, stats: &RunStats) -> Option<Self> {
        let mut panels = Vec::new();
        for (index, (scenario, s)) in file.scenarios.iter().zip(&stats.scenarios).enumerate() {
            let (Some(area), Some(map)) = (scenario.area(), &s.map) else {
                continue;
            };
            if !map.teams {
                continue;
            }
            let grid = Grid::new(area);
            let searched = map.searched.iter().filter(|&&n| n > 0).count();
            let note = format!(
                "{} cells searched in some replicate",
                format::thousands(searched as f64)
            );
            panels.push(Panel::new(
                index,
                scenario.name.clone(),
                grid,
                map.residual_risk(),
                scenario,
                note,
            ));
        }
        Self::from_panels(
            MapKind::Probability,
            Content::ResidualRisk,
            summary.replicates,
            panels,
        )
    }

    /// The chart of `panels`, with the part of each area worth showing
    /// and the colour scale they share; `None` without panels.
    fn from_panels(
        kind: MapKind,
        content: Content,
        replicates: u64,
        mut panels: Vec<Panel>,
    ) -> Option<Self> {
        if panels.is_empty() {
            return None;
        }

        // The part of each area worth showing: where any replicate left a
        // UXO, and the targets, with some margin. Panels of one grid show
        // the same part, so that they compare cell by cell.
        let shared_view = panels
            .windows(2)
            .all(|w| w[0].grid == w[1].grid && w[0].place == w[1].place);
        let extents: Vec<Option<[f64; 4]>> = panels.iter().map(Panel::extent).collect();
        if shared_view {
            let union = extents.iter().flatten().copied().reduce(union);
            let view = view_of(&panels[0].grid, union);
            panels.iter_mut().for_each(|p| p.view = view);
        } else {
            for (p, e) in panels.iter_mut().zip(extents) {
                p.view = view_of(&p.grid, e);
            }
        }
        let zoomed = panels
            .iter()
            .any(|p| p.view != [0.0, 0.0, p.grid.width_m, p.grid.height_m]);

        let (lo, hi) = match kind {
            MapKind::Probability => (0.0, 1.0),
            MapKind::Density => {
                let peak = panels
                    .iter()
                    .flat_map(|p| p.values.iter().copied())
                    .fold(0.0, f64::max);
                let hi = if peak > 0.0 {
                    10f64.powi(peak.log10().ceil() as i32)
                } else {
                    1.0
                };
                (hi / 10f64.powi(DECADES), hi)
            }
        };
        let trace = match kind {
            MapKind::Probability => TRACE_PROBABILITY,
            MapKind::Density => lo,
        };
        Some(SpatialMap {
            kind,
            content,
            replicates,
            panels,
            lo,
            hi,
            trace,
            shared_view,
            zoomed,
        })
    }

    fn columns(&self, format: Format) -> usize {
        layout::columns(self.panels.len(), format.most_columns(MAP_COLUMNS))
    }

    fn rows(&self, format: Format) -> usize {
        layout::rows(self.panels.len(), format.most_columns(MAP_COLUMNS))
    }

    fn legend() -> [LegendItem; 1] {
        [LegendItem::new(
            "target: the rectangle the carriers aimed at",
            Swatch::Outline(style::INK),
        )]
    }

    /// The axes of every panel, in metres, and the room the widest
    /// vertical axis needs.
    fn axes(&self, format: Format) -> (Vec<(Axis<'static>, Axis<'static>)>, u32) {
        let axes: Vec<(Axis<'_>, Axis<'_>)> = self.panels.iter().map(|p| p.axes(format)).collect();
        let label_width = axes
            .iter()
            .map(|(_, y)| super::y_label_width(y))
            .max()
            .unwrap_or(90);
        (axes, label_width)
    }

    /// How wide caption lines may be on a page `width` pixels wide, and
    /// the lines of the longest name and notes (at most two each).
    fn caption_lines(&self, format: Format, width: i32, label_width: u32) -> (i32, usize, usize) {
        let name_style = style::bold(style::PANEL_TITLE_SIZE, style::INK);
        let note_style = style::text(style::NOTE_SIZE, style::INK);
        let text_width = layout::map_text_width(width, self.columns(format), label_width, format);
        let most_lines = |text: fn(&Panel) -> &str, style: &TextStyle<'_>| {
            self.panels
                .iter()
                .map(|p| super::wrap(text(p), style, text_width).len())
                .max()
                .unwrap_or(1)
                .clamp(1, 2)
        };
        (
            text_width,
            most_lines(|p| &p.name, &name_style),
            most_lines(|p| &p.note, &note_style),
        )
    }

    /// Widths of the labels of the swatches beside the colour bar.
    fn swatch_widths(&self) -> [i32; 2] {
        [self.trace_text(), NONE.to_string()]
            .map(|label| style::text_width(&style::text(style::LABEL_SIZE, style::INK), &label))
    }

    /// How a value is drawn; `None` for "none" (0).
    fn shade(&self, v: f64) -> Option<Shade> {
        if v.is_nan() || v <= 0.0 {
            None
        } else if v < self.trace {
            Some(Shade::Trace)
        } else {
            Some(Shade::Level(
                (self.fraction(v) * (LEVELS - 1) as f64).round() as usize,
            ))
        }
    }

    /// The trace threshold, as text with its unit.
    fn trace_text(&self) -> String {
        match self.kind {
            MapKind::Density => format!("below {} per ha", format::two_significant(self.trace)),
            MapKind::Probability => format!("under {}", format::short_percent(self.trace)),
        }
    }

    /// Where a value lies on the colour scale, from 0 (lightest) to 1.
    fn fraction(&self, v: f64) -> f64 {
        let t = match self.kind {
            MapKind::Density => {
                (v.max(self.lo).log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10())
            }
            MapKind::Probability => (v - self.lo) / (self.hi - self.lo),
        };
        t.clamp(0.0, 1.0)
    }

    /// "each 50 m" when every panel has the same cell size, else "each".
    fn each_cell(&self) -> String {
        let first = self.panels[0].grid.cell_m;
        if self.panels.iter().all(|p| p.grid.cell_m == first) {
            format!("each {} m", format::number(first))
        } else {
            "each".to_string()
        }
    }

    /// What part of the areas the maps show, and on what distance scale,
    /// for the subtitle and caption; `None` for whole areas on one scale.
    fn zoom_text(&self) -> Option<String> {
        let g = &self.panels[0].grid;
        match (self.shared_view, self.zoomed) {
            (true, false) => None,
            (true, true) => Some(format!(
                "Showing the part of the {} × {} m area where any replicate left a UXO.",
                format::number(g.width_m),
                format::number(g.height_m)
            )),
            (false, true) => Some(
                "Each map shows the part of its area where any replicate left a UXO, on its \
                 own distance scale."
                    .to_string(),
            ),
            (false, false) => {
                Some("Each map shows its whole area, on its own distance scale.".to_string())
            }
        }
    }
}

impl Panel {
    /// A panel of `scenario`'s area showing `values`, with its targets.
    fn new(
        index: usize,
        name: String,
        grid: Grid,
        values: Vec<f64>,
        scenario: &crate::scenario::Scenario,
        note: String,
    ) -> Self {
        let targets = scenario
            .spatial()
            .map(|sp| sp.strikes.iter().map(|p| p.target).collect())
            .unwrap_or_default();
        let view = [0.0, 0.0, grid.width_m, grid.height_m];
        let place = scenario.area().and_then(|a| a.georef()).map(|g| Place {
            epsg: g.epsg(),
            origin: g.origin(),
        });
        Panel {
            index,
            name,
            grid,
            values,
            targets,
            note,
            view,
            place,
        }
    }

    /// The bounding box of the cells where any replicate left a UXO and of
    /// the targets; `None` when there are neither.
    fn extent(&self) -> Option<[f64; 4]> {
        let g = &self.grid;
        let mut out: Option<[f64; 4]> = self.targets.iter().copied().reduce(union);
        for (cell, &v) in self.values.iter().enumerate() {
            if v > 0.0 {
                let rect = g.cell_bounds(cell);
                out = Some(out.map_or(rect, |o| union(o, rect)));
            }
        }
        out
    }
}

/// The smallest rectangle holding both.
fn union(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

/// The part of a grid to show around `extent`: a square about its centre,
/// a cell wider on every side, rounded out to round numbers of metres; the
/// whole area when that is most of it.
fn view_of(grid: &Grid, extent: Option<[f64; 4]>) -> [f64; 4] {
    let full = [0.0, 0.0, grid.width_m, grid.height_m];
    let Some([x0, y0, x1, y1]) = extent else {
        return full;
    };
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let half = (x1 - x0).max(y1 - y0) / 2.0 + grid.cell_m;
    let step = round_step(half / 3.0).max(grid.cell_m);
    // A hair of tolerance, so that a bound on a round number stays there.
    let down = |v: f64| ((v / step + 1e-9).floor() * step).max(0.0);
    let up = |v: f64, limit: f64| ((v / step - 1e-9).ceil() * step).min(limit);
    let view = [
        down(cx - half),
        down(cy - half),
        up(cx + half, grid.width_m),
        up(cy + half, grid.height_m),
    ];
    if (view[2] - view[0]) >= 0.75 * grid.width_m && (view[3] - view[1]) >= 0.75 * grid.height_m {
        full
    } else {
        view
    }
}

/// The smallest of 1, 2, 2.5 and 5 times a power of ten at least `raw`.
fn round_step(raw: f64) -> f64 {
    if raw.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * magnitude)
}

/// The area of a cell inside the area in hectares (a last column or row
/// may be partial).
fn cell_hectares(grid: &Grid, cell: usize) -> f64 {
    (grid.cell_area_m2(cell) / 10_000.0).max(f64::MIN_POSITIVE)
}

impl Figure for SpatialMap {
    fn name(&self) -> String {
        match self.content {
            Content::LiveAt => return "live-uxo-maps".to_string(),
            Content::ResidualRisk => return "residual-risk-map".to_string(),
            Content::Contamination => {}
        }
        match self.kind {
            MapKind::Density => "density-map",
            MapKind::Probability => "p-contaminated-map",
        }
        .to_string()
    }

    fn title(&self) -> String {
        match self.content {
            Content::LiveAt => {
                return "Live unexploded submunitions left over time: expected UXO per hectare"
                    .to_string();
            }
            Content::ResidualRisk => {
                return "Risk left in searched land: chance a searched cell still holds a UXO"
                    .to_string();
            }
            Content::Contamination => {}
        }
        match self.kind {
            MapKind::Density => "Where the unexploded submunitions lie: expected UXO per hectare",
            MapKind::Probability => "Where the unexploded submunitions lie: chance of any UXO",
        }
        .to_string()
    }

    fn caption(&self) -> String {
        let cell = self.each_cell();
        let replicates = format::thousands(self.replicates as f64);
        let zoom = self.zoom_text().map_or(String::new(), |z| format!(" {z}"));
        match self.content {
            Content::LiveAt => {
                return format!(
                    "The expected number of live unexploded submunitions (UXO) per hectare \
                     in {cell} cell at the steps the scenario file maps, after encounters \
                     and clearance so far: the mean over {replicates} replicates, one panel \
                     per scenario and step, on one logarithmic colour scale shared by all \
                     panels. Grey cells held some live UXO, but {} on average; white cells \
                     none in any replicate. The outlined rectangles are the strikes' \
                     targets.{zoom}",
                    self.trace_text()
                );
            }
            Content::ResidualRisk => {
                return format!(
                    "For {cell} cell the teams searched, the share of the replicates in \
                     which it was searched where it still held at least one live UXO after \
                     its last search: detection is imperfect, so land called clear can \
                     still hold duds. White cells were never searched in any replicate, or \
                     never held a UXO after a search; grey ones in {} of them. The \
                     outlined rectangles are the strikes' targets.{zoom}",
                    self.trace_text()
                );
            }
            Content::Contamination => {}
        }
        match self.kind {
            MapKind::Density => format!(
                "The expected number of unexploded submunitions (UXO) per hectare in \
                 {cell} cell, the mean over {replicates} replicates, one panel per \
                 scenario. The colour scale is shared by all panels and logarithmic \
                 (each labelled step is ten times the one below): densities differ \
                 many times between scenarios and fall off by orders of magnitude \
                 away from the target, and on a linear scale the low-dud-rate \
                 scenarios and the edges of every footprint would look empty though \
                 they are not. Grey cells held some UXO, but {} on average; white \
                 cells held no UXO in any replicate. The outlined rectangles are \
                 the strikes' targets.{zoom}",
                self.trace_text()
            ),
            MapKind::Probability => format!(
                "The probability that {cell} cell holds at least one unexploded \
                 submunition (UXO): the share of the {replicates} replicates in \
                 which it did, one panel per scenario, on one linear colour scale \
                 shared by all panels. Grey cells held UXO in {} of the replicates; \
                 white cells in none. A cell with any chance of UXO has to be \
                 surveyed before the land is used again. The outlined rectangles \
                 are the strikes' targets.{zoom}",
                self.trace_text()
            ),
        }
    }

    fn size(&self, format: Format) -> (u32, u32) {
        match format {
            Format::Wide => (
                layout::MAP_PAGE_WIDTH,
                layout::page_height(layout::MAP_FIXED, layout::MAP_ROW, self.rows(format) as u32),
            ),
            Format::Narrow => {
                let width = format.page_width(layout::MAP_PAGE_WIDTH);
                let subtitle = self.subtitle();
                let lines: Vec<&str> = subtitle.iter().map(String::as_str).collect();
                let header =
                    style::header_height(format, width, &self.title(), &lines, &Self::legend());
                let (_, label_width) = self.axes(format);
                let (_, name_lines, note_lines) =
                    self.caption_lines(format, width as i32, label_width);
                let views: Vec<(f64, f64)> = self.panels.iter().map(Panel::view_size).collect();
                let maps = layout::stacked_maps_height(
                    width,
                    label_width,
                    self.shared_view,
                    layout::MAP_CAPTION.height(name_lines, note_lines) as u32,
                    &views,
                );
                let strip =
                    layout::color_bar_height(Rect::page(width, 0), format, &self.swatch_widths());
                (width, header + maps + strip)
            }
        }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        format: Format,
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let subtitle = self.subtitle();
        let lines: Vec<&str> = subtitle.iter().map(String::as_str).collect();
        let body = style::header(root, format, &self.title(), &lines, &Self::legend())?;
        // Axes: metres, with the same ticks on every panel of a shared view.
        let (axes, label_width) = self.axes(format);
        // Room for the names (up to two lines) and the notes.
        let (text_width, name_lines, note_lines) =
            self.caption_lines(format, super::page(root).width(), label_width);
        let swatches = self.swatch_widths();
        let grid = layout::map_grid(&MapSpec {
            body,
            label_width,
            shared_view: self.shared_view,
            name_lines,
            note_lines,
            views: self.panels.iter().map(Panel::view_size).collect(),
            columns: format.most_columns(MAP_COLUMNS),
            color_bar_height: layout::color_bar_height(body, format, &swatches),
        });

        let note_style = style::text(style::NOTE_SIZE, style::INK);
        for ((panel, (x, y)), at) in self.panels.iter().zip(axes).zip(&grid.panels) {
            let text = CaptionText {
                name: (
                    &panel.name,
                    style::bold(style::PANEL_TITLE_SIZE, style::scenario_color(panel.index)),
                    2,
                ),
                note: (&panel.note, note_style.clone(), 2),
                width: text_width,
            };
            super::draw_caption(root, &at.caption, &text)?;
            // Only the first column labels a shared vertical axis.
            let y = if at.label_width == label_width {
                y
            } else {
                Axis {
                    desc: String::new(),
                    format: &super::no_tick,
                    ..y
                }
            };
            let area = super::region(root, at.plot);
            self.draw_map(panel, &area, &x, &y, at.label_width)?;
        }
        self.draw_color_bar(
            root,
            &layout::color_bar(grid.color_bar, grid.color_bar_left, &swatches, format),
        )
    }
}

/// What the white swatch beside the colour bar says.
const NONE: &str = "none in any replicate";

impl Panel {
    /// Width and height in metres of the part of the area shown.
    fn view_size(&self) -> (f64, f64) {
        let [x0, y0, x1, y1] = self.view;
        (x1 - x0, y1 - y0)
    }

    /// From the area's own metres (origin at its lower-left corner) to
    /// the coordinates its axes show: its coordinate system's when it is
    /// placed, its own otherwise.
    fn offset(&self) -> (f64, f64) {
        self.place
            .map_or((0.0, 0.0), |p| (p.origin[0], p.origin[1]))
    }

    /// The axes of the map, in metres: eastings and northings in the
    /// area's coordinate system when it is placed, local metres otherwise.
    fn axes(&self, format: Format) -> (Axis<'static>, Axis<'static>) {
        let [x0, y0, x1, y1] = self.view;
        let (dx, dy) = self.offset();
        let axis = |lo: f64, hi: f64, desc: String, ticks: usize| Axis {
            range: lo..hi,
            ticks: style::linear_ticks(lo, hi, ticks),
            desc,
            format: &super::count_tick,
        };
        let (x_desc, y_desc) = axis_titles(self.place.as_ref());
        (
            axis(x0 + dx, x1 + dx, x_desc, format.x_ticks(5)),
            axis(y0 + dy, y1 + dy, y_desc, 5),
        )
    }
}

/// The titles of a map's axes: easting and northing in the coordinate
/// system of a placed area, x and y in local metres otherwise.
fn axis_titles(place: Option<&Place>) -> (String, String) {
    match place {
        Some(p) => (
            format!("Easting (m, EPSG:{})", p.epsg),
            format!("Northing (m, EPSG:{})", p.epsg),
        ),
        None => (
            "x (local metres)".to_string(),
            "y (local metres)".to_string(),
        ),
    }
}

impl SpatialMap {
    /// The lines under the title: what a cell shows, the colour scale,
    /// and the part of the areas shown.
    fn subtitle(&self) -> Vec<String> {
        let cell = self.each_cell();
        let replicates = format::thousands(self.replicates as f64);
        let first = match (self.content, self.kind) {
            (Content::ResidualRisk, _) => format!(
                "Share of the replicates searching {cell} cell in which it held a live UXO \
                 after its last search ({replicates} replicates)."
            ),
            (Content::LiveAt, _) => format!(
                "Mean number of live UXO per hectare in {cell} cell over {replicates} replicates."
            ),
            (_, MapKind::Density) => format!(
                "Mean number of UXO per hectare in {cell} cell over {replicates} replicates."
            ),
            (_, MapKind::Probability) => format!(
                "Share of {replicates} replicates in which {cell} cell held at least one UXO."
            ),
        };
        let scale = match self.kind {
            MapKind::Density => format!(
                "One colour scale for all panels, logarithmic (each labelled step is ×10); \
                 grey: {}; white: none in any replicate.",
                self.trace_text()
            ),
            MapKind::Probability if self.content == Content::ResidualRisk => format!(
                "One linear colour scale for all panels; grey: {}; white: never searched, or \
                 clear after every search.",
                self.trace_text()
            ),
            MapKind::Probability => format!(
                "One linear colour scale for all panels; grey: {}; white: no UXO in any replicate.",
                self.trace_text()
            ),
        };
        [Some(first), Some(scale), self.zoom_text()]
            .into_iter()
            .flatten()
            .collect()
    }

    fn draw_map<DB: DrawingBackend>(
        &self,
        panel: &Panel,
        area: &DrawingArea<DB, Shift>,
        x: &Axis<'_>,
        y: &Axis<'_>,
        label_width: u32,
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let mut chart = super::plot_aligned(area, x, y, label_width)?;
        let color = |shade: Shade| match shade {
            Shade::Trace => TRACE,
            Shade::Level(l) => style::sequential(l as f64 / (LEVELS - 1) as f64),
        };
        // The cells, targets and frame in the axes' coordinates.
        let (dx, dy) = panel.offset();
        let shift = |(x, y): (f64, f64)| (x + dx, y + dy);
        let blocks = shaded_blocks(&panel.grid, panel.view, &panel.values, |v| self.shade(v));
        chart.draw_series(
            blocks
                .into_iter()
                .map(|([a, b], shade)| Rectangle::new([shift(a), shift(b)], color(shade).filled())),
        )?;
        for t in &panel.targets {
            let corners = [shift((t[0], t[1])), shift((t[2], t[3]))];
            chart.draw_series(std::iter::once(Rectangle::new(
                corners,
                WHITE.stroke_width(4),
            )))?;
            chart.draw_series(std::iter::once(Rectangle::new(
                corners,
                style::INK.stroke_width(2),
            )))?;
        }
        // A frame around the map, over the cells at its edges.
        let [vx0, vy0, vx1, vy1] = panel.view;
        chart.draw_series(std::iter::once(Rectangle::new(
            [shift((vx0, vy0)), shift((vx1, vy1))],
            style::MUTED.stroke_width(1),
        )))?;
        Ok(())
    }

    /// The colour bar, labelled, with the "trace" and "none" swatches
    /// beside it.
    fn draw_color_bar<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        bar: &ColorBar,
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let title = match (self.content, self.kind) {
            (Content::LiveAt, _) => "Expected live UXO per hectare (log scale)",
            (Content::ResidualRisk, _) => "Chance that a searched cell still holds a UXO",
            (_, MapKind::Density) => "Expected UXO per hectare (log scale)",
            (_, MapKind::Probability) => "Chance that the cell holds at least one UXO",
        };
        root.draw(&Text::new(
            title.to_string(),
            bar.title,
            style::text(style::LABEL_SIZE, style::INK),
        ))?;
        let slices = bar.slices(160);
        let n = slices.len() as f64;
        for (k, slice) in slices.into_iter().enumerate() {
            let t = (k as f64 + 0.5) / n;
            let level = (t * (LEVELS - 1) as f64).round() / (LEVELS - 1) as f64;
            root.draw(&Rectangle::new(
                corners(slice),
                style::sequential(level).filled(),
            ))?;
        }
        root.draw(&Rectangle::new(
            corners(bar.bar),
            style::MUTED.stroke_width(1),
        ))?;
        let tick_style = style::anchored(
            style::text(style::TICK_SIZE, style::INK),
            HPos::Center,
            VPos::Top,
        );
        for (t, label) in self.color_ticks() {
            let (from, to, label_at) = bar.tick(t);
            root.draw(&PathElement::new(
                vec![from, to],
                style::INK.stroke_width(1),
            ))?;
            root.draw(&Text::new(label, label_at, tick_style.clone()))?;
        }
        // Trace and none, as on the maps.
        let label_style = style::anchored(
            style::text(style::LABEL_SIZE, style::INK),
            HPos::Left,
            VPos::Center,
        );
        let swatches = [(TRACE, self.trace_text()), (WHITE, NONE.to_string())];
        for ((fill, label), (swatch, label_at)) in swatches.into_iter().zip(&bar.swatches) {
            root.draw(&Rectangle::new(corners(*swatch), fill.filled()))?;
            root.draw(&Rectangle::new(
                corners(*swatch),
                style::MUTED.stroke_width(1),
            ))?;
            root.draw(&Text::new(label, *label_at, label_style.clone()))?;
        }
        Ok(())
    }

    /// The labelled values of the colour scale and where they lie on it.
    fn color_ticks(&self) -> Vec<(f64, String)> {
        match self.kind {
            MapKind::Density => {
                let mut ticks = Vec::new();
                let mut v = self.lo;
                while v <= self.hi * 1.000_001 {
                    ticks.push((self.fraction(v), format::two_significant(v)));
                    v *= 10.0;
                }
                ticks
            }
            MapKind::Probability => std::iter::once(self.trace)
                .chain((1..=5).map(|k| k as f64 / 5.0))
                .map(|t| (t, format::short_percent(t)))
                .collect(),
        }
    }
}

/// The cells of `grid` inside `view` (`[x_min, y_min, x_max, y_max]`,
/// metres) with a shade, merged into rectangles of one shade, with their
/// corners in metres: runs of cells along a row, and runs repeated on the
/// rows above, make one rectangle, so that the SVG stays small. `values`
/// holds each cell's value, row by row from the origin.
fn shaded_blocks(
    grid: &Grid,
    view: [f64; 4],
    values: &[f64],
    shade: impl Fn(f64) -> Option<Shade>,
) -> Vec<([(f64, f64); 2], Shade)> {
    let g = grid;
    let [vx0, vy0, vx1, vy1] = view;
    let first_col = (vx0 / g.cell_m).floor() as usize;
    let last_col = ((vx1 / g.cell_m).ceil() as usize).min(g.columns);
    let first_row = (vy0 / g.cell_m).floor() as usize;
    let last_row = ((vy1 / g.cell_m).ceil() as usize).min(g.rows);
    let x_of = |c: usize| (c as f64 * g.cell_m).clamp(vx0, vx1);
    let y_of = |r: usize| (r as f64 * g.cell_m).clamp(vy0, vy1);
    let shade_at = |r: usize, c: usize| shade(values[r * g.columns + c]);
    let mut blocks = Vec::new();
    // Open rectangles: (first column, end column, shade, first row).
    let mut open: Vec<(usize, usize, Shade, usize)> = Vec::new();
    for r in first_row..=last_row {
        let mut runs = Vec::new();
        let mut c = first_col;
        while r < last_row && c < last_col {
            let (start, shade) = (c, shade_at(r, c));
            while c < last_col && shade_at(r, c) == shade {
                c += 1;
            }
            if let Some(shade) = shade {
                runs.push((start, c, shade));
            }
        }
        let mut next = Vec::with_capacity(runs.len());
        for (start, end, shade) in runs {
            let row0 = open
                .iter()
                .position(|o| (o.0, o.1, o.2) == (start, end, shade))
                .map_or(r, |i| open.swap_remove(i).3);
            next.push((start, end, shade, row0));
        }
        for (start, end, shade, row0) in open {
            blocks.push(([(x_of(start), y_of(row0)), (x_of(end), y_of(r))], shade));
        }
        open = next;
    }
    blocks
}

/// A rectangle's corners, as plotters takes them.
fn corners(r: Rect) -> [Point; 2] {
    [(r.x0, r.y0), (r.x1, r.y1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Grid {
        Grid::new(&crate::scenario::Area::local(5000.0, 5000.0, 50.0))
    }

    #[test]
    fn views_are_round_and_hold_the_extent() {
        let v = view_of(&grid(), Some([1_250.0, 1_300.0, 3_700.0, 3_650.0]));
        assert_eq!(v, [1_000.0, 1_000.0, 4_000.0, 4_000.0]);
        // Square about the centre, bounds on round numbers kept.
        let v = view_of(&grid(), Some([1_550.0, 2_000.0, 3_450.0, 3_000.0]));
        assert_eq!(v, [1_500.0, 1_500.0, 3_500.0, 3_500.0]);
        assert_eq!(
            view_of(&grid(), Some([100.0, 100.0, 4_900.0, 4_900.0])),
            [0.0, 0.0, 5_000.0, 5_000.0]
        );
        assert_eq!(view_of(&grid(), None), [0.0, 0.0, 5_000.0, 5_000.0]);
    }

    #[test]
    fn shaded_cells_merge_into_rectangles_that_cover_them_once() {
        // 5 × 4 cells of 10 m; values 0 (none), 1 and 2 (two shades).
        let g = Grid::new(&crate::scenario::Area::local(50.0, 40.0, 10.0));
        #[rustfmt::skip]
        let values = [
            0.0, 1.0, 1.0, 2.0, 2.0,
            0.0, 1.0, 1.0, 2.0, 0.0,
            1.0, 1.0, 1.0, 0.0, 0.0,
            0.0, 0.0, 0.0, 0.0, 2.0,
        ];
        let shade = |v: f64| (v > 0.0).then_some(Shade::Level(v as usize));
        let blocks = shaded_blocks(&g, [0.0, 0.0, 50.0, 40.0], &values, shade);
        // Each cell with a shade lies in exactly one block of its shade.
        for (cell, &v) in values.iter().enumerate() {
            let [x0, y0, x1, y1] = g.cell_bounds(cell);
            let centre = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
            let holding: Vec<_> = blocks
                .iter()
                .filter(|([a, b], _)| {
                    (a.0..b.0).contains(&centre.0) && (a.1..b.1).contains(&centre.1)
                })
                .collect();
            match shade(v) {
                Some(s) => assert!(holding.len() == 1 && holding[0].1 == s, "cell {cell}"),
                None => assert!(holding.is_empty(), "cell {cell}"),
            }
        }
        // Runs repeated on the next row merge: the 2 × 2 block of ones.
        assert!(blocks.contains(&([(10.0, 0.0), (30.0, 20.0)], Shade::Level(1))));
        assert_eq!(blocks.len(), 5);
        // A view keeps the cells inside it, cut at its edges.
        let part = shaded_blocks(&g, [15.0, 0.0, 50.0, 10.0], &values, shade);
        assert_eq!(
            part,
            vec![
                ([(15.0, 0.0), (30.0, 10.0)], Shade::Level(1)),
                ([(30.0, 0.0), (50.0, 10.0)], Shade::Level(2)),
            ]
        );
    }

    #[test]
    fn partial_cells_have_their_own_area() {
        let g = Grid::new(&crate::scenario::Area::local(250.0, 100.0, 100.0));
        assert_eq!(cell_hectares(&g, 0), 1.0);
        assert_eq!(cell_hectares(&g, 2), 0.5);
    }
}
