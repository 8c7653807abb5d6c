//! Maps of where the duds lie, one panel per scenario with an
//! area (small multiples on one shared colour scale, so that panels
//! compare at a glance): the expected number of UXO per hectare, on a log
//! colour scale, and the probability that a cell holds at least one UXO.
//! The strikes' target rectangles are outlined; cells are square on
//! screen; cells where no replicate left a UXO stay white.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{self, LegendItem, Swatch};
use super::{Axis, DrawResult, Figure};
use crate::engine::spatial::Grid;
use crate::format;
use crate::output::summary::RunSummary;
use crate::scenario::ScenarioFile;
use crate::stats::RunStats;

/// What a map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapKind {
    /// Expected UXO per hectare, on a log colour scale.
    Density,
    /// Probability that a cell holds at least one UXO, on a linear scale.
    Probability,
}

/// Colour steps of the scale: enough to look continuous, few enough that
/// neighbouring cells of one colour merge into one rectangle.
const LEVELS: usize = 64;
/// Decades a log colour scale spans.
const DECADES: i32 = 4;
/// Probabilities below this are drawn as traces.
const TRACE_PROBABILITY: f64 = 0.01;
/// Panels per row.
const MAX_COLUMNS: usize = 3;
/// Height of the colour bar's strip under the maps, in pixels.
const BAR_STRIP: u32 = 96;
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
}

/// A map chart: one panel per scenario with an area.
pub struct SpatialMap {
    kind: MapKind,
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
            let (Some(area), Some(grid_stats)) = (&scenario.area, &s.grid) else {
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
                        format::number(in_area)
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
            let targets = scenario.strikes.iter().filter_map(|k| k.target).collect();
            let full = [0.0, 0.0, grid.width_m, grid.height_m];
            panels.push(Panel {
                index,
                name: scenario.name.clone(),
                grid,
                values,
                targets,
                note,
                view: full,
            });
        }
        if panels.is_empty() {
            return None;
        }

        // The part of each area worth showing: where any replicate left a
        // UXO, and the targets, with some margin. Panels of one grid show
        // the same part, so that they compare cell by cell.
        let shared_view = panels.windows(2).all(|w| w[0].grid == w[1].grid);
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
            replicates: summary.replicates,
            panels,
            lo,
            hi,
            trace,
            shared_view,
            zoomed,
        })
    }

    fn columns(&self) -> usize {
        self.panels.len().clamp(1, MAX_COLUMNS)
    }

    fn rows(&self) -> usize {
        self.panels.len().max(1).div_ceil(self.columns())
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
        match self.kind {
            MapKind::Density => "density-map",
            MapKind::Probability => "p-contaminated-map",
        }
        .to_string()
    }

    fn title(&self) -> String {
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

    fn size(&self) -> (u32, u32) {
        (1500, (250 + 560 * self.rows() as u32).max(800))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let cell = self.each_cell();
        let replicates = format::thousands(self.replicates as f64);
        let first = match self.kind {
            MapKind::Density => format!(
                "Mean number of UXO per hectare in {cell} cell over {replicates} replicates."
            ),
            MapKind::Probability => format!(
                "Share of {replicates} replicates in which {cell} cell held at least one UXO."
            ),
        };
        let scale = match self.kind {
            MapKind::Density => format!(
                "One colour scale for all panels, logarithmic (each labelled step is ×10); \
                 grey: {}; white: none in any replicate.",
                self.trace_text()
            ),
            MapKind::Probability => format!(
                "One linear colour scale for all panels; grey: {}; white: no UXO in any replicate.",
                self.trace_text()
            ),
        };
        let zoom = self.zoom_text();
        let mut lines = vec![first.as_str(), scale.as_str()];
        if let Some(z) = &zoom {
            lines.push(z);
        }
        let body = super::region(
            root,
            style::header(
                root,
                &self.title(),
                &lines,
                &[LegendItem::new(
                    "target: the rectangle the carriers aimed at",
                    Swatch::Outline(style::INK),
                )],
            )?,
        );
        let (width, full_height) = body.dim_in_pixel();
        let height = full_height.saturating_sub(BAR_STRIP);
        let (cols, rows) = (self.columns(), self.rows());

        // Axes: metres, with the same ticks on every panel of a shared view.
        let metres = |v: &f64| format::number(*v);
        let blank = |_: &f64| String::new();
        let axes: Vec<(Axis<'_>, Axis<'_>)> = self
            .panels
            .iter()
            .map(|p| {
                let [x0, y0, x1, y1] = p.view;
                (
                    Axis {
                        range: x0..x1,
                        ticks: style::linear_ticks(x0, x1, 5),
                        desc: "x (m)".to_string(),
                        format: &metres,
                    },
                    Axis {
                        range: y0..y1,
                        ticks: style::linear_ticks(y0, y1, 5),
                        desc: "y (m)".to_string(),
                        format: &metres,
                    },
                )
            })
            .collect();
        let label_width = axes
            .iter()
            .map(|(_, y)| super::y_label_width(y))
            .max()
            .unwrap_or(90);
        // Only the first column labels a shared vertical axis.
        let left = |column: usize| {
            if column == 0 || !self.shared_view {
                label_width
            } else {
                12
            }
        };

        // Room for the names (up to two lines) and the notes.
        let name_style = style::bold(style::PANEL_TITLE_SIZE, style::INK);
        let note_style = style::text(style::NOTE_SIZE, style::INK);
        let slot = width as i32 / cols as i32;
        let name_lines = self
            .panels
            .iter()
            .map(|p| super::wrap(&p.name, &name_style, slot - 40).len())
            .max()
            .unwrap_or(1)
            .clamp(1, 2);
        let note_lines = self
            .panels
            .iter()
            .map(|p| super::wrap(&p.note, &note_style, slot - 40).len())
            .max()
            .unwrap_or(1)
            .clamp(1, 2);
        let caption_height = 8 + 24 * name_lines as u32 + 20 * note_lines as u32 + 4;
        // plot_aligned's margins: 10 left, 24 right, 8 top, 58 for x labels.
        let (frame_w, frame_h) = (10 + 24, 8 + 58);

        // Pixels per metre: the same in both directions (cells are square)
        // and, for panels of one grid, on every panel (cells equally
        // large everywhere); panels of different areas fill their slots.
        let labels: u32 = (0..cols).map(left).sum();
        let gaps = 12 * (cols as u32 - 1);
        let free_w = width.saturating_sub(labels + gaps + frame_w * cols as u32 + 16);
        let free_h = (height / rows as u32).saturating_sub(caption_height + frame_h + 8);
        let fit = |w: f64, h: f64| (free_w as f64 / cols as f64 / w).min(free_h as f64 / h);
        let size = |p: &Panel| (p.view[2] - p.view[0], p.view[3] - p.view[1]);
        let common = self
            .panels
            .iter()
            .map(|p| {
                let (w, h) = size(p);
                fit(w, h)
            })
            .fold(f64::INFINITY, f64::min);
        let scale = |p: &Panel| {
            if self.shared_view {
                common
            } else {
                let (w, h) = size(p);
                fit(w, h)
            }
        };
        let map_w = self
            .panels
            .iter()
            .map(|p| (size(p).0 * scale(p)).floor() as u32)
            .max()
            .unwrap_or(0);
        let map_h = self
            .panels
            .iter()
            .map(|p| (size(p).1 * scale(p)).floor() as u32)
            .max()
            .unwrap_or(0);
        let row_h = caption_height + map_h + frame_h + 8;
        let top = (height.saturating_sub(row_h * rows as u32) / 2) as i32;

        for (i, (panel, (x_axis, y_axis))) in self.panels.iter().zip(&axes).enumerate() {
            let (r, c) = (i / cols, i % cols);
            let x0: u32 = (0..c).map(|k| left(k) + frame_w + map_w + 12).sum();
            let y0 = top + (r as u32 * row_h) as i32;
            let px = scale(panel);
            let w = ((panel.view[2] - panel.view[0]) * px).floor();
            let h = ((panel.view[3] - panel.view[1]) * px).floor();
            let area = body.clone().shrink(
                (x0 as i32, y0),
                (
                    left(c) + frame_w + w.round() as u32,
                    caption_height + frame_h + map_h,
                ),
            );
            let (caption, rest) = area.split_vertically(caption_height);
            let mut y = 6;
            let colored = style::bold(style::PANEL_TITLE_SIZE, style::scenario_color(panel.index));
            for line in super::wrap(&panel.name, &colored, slot - 40)
                .into_iter()
                .take(2)
            {
                caption.draw(&Text::new(line, (left(c) as i32 + 10, y), colored.clone()))?;
                y += 24;
            }
            let mut y = 6 + 24 * name_lines as i32;
            for line in super::wrap(&panel.note, &note_style, slot - 40)
                .into_iter()
                .take(2)
            {
                caption.draw(&Text::new(
                    line,
                    (left(c) as i32 + 10, y),
                    note_style.clone(),
                ))?;
                y += 20;
            }
            // Keep the map's bottom edge on the row's (taller maps fill it).
            let plot_area = rest.shrink(
                (0, (map_h as f64 - h).max(0.0).round() as i32),
                (
                    left(c) + frame_w + w.round() as u32,
                    h.round() as u32 + frame_h,
                ),
            );
            let y_axis_shown;
            let y_axis = if left(c) == label_width {
                y_axis
            } else {
                y_axis_shown = Axis {
                    range: y_axis.range.clone(),
                    ticks: y_axis.ticks.clone(),
                    desc: String::new(),
                    format: &blank,
                };
                &y_axis_shown
            };
            self.draw_map(panel, &plot_area, x_axis, y_axis, left(c))?;
        }

        // The colour bar under the maps, from the first map's left edge.
        let strip = body
            .clone()
            .shrink((0, full_height - BAR_STRIP), (width, BAR_STRIP));
        self.draw_color_bar(&strip, left(0) as i32 + 10)?;
        Ok(())
    }
}

impl SpatialMap {
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
        let g = &panel.grid;
        let [vx0, vy0, vx1, vy1] = panel.view;
        let first_col = (vx0 / g.cell_m).floor() as usize;
        let last_col = ((vx1 / g.cell_m).ceil() as usize).min(g.columns);
        let first_row = (vy0 / g.cell_m).floor() as usize;
        let last_row = ((vy1 / g.cell_m).ceil() as usize).min(g.rows);
        let x_of = |c: usize| (c as f64 * g.cell_m).clamp(vx0, vx1);
        let y_of = |r: usize| (r as f64 * g.cell_m).clamp(vy0, vy1);
        // Runs of cells of one colour along a row are drawn as one
        // rectangle: the SVG stays small.
        let shade_at = |r: usize, c: usize| self.shade(panel.values[r * g.columns + c]);
        // Runs of cells of one shade along a row, and runs repeated on the
        // rows above, are drawn as one rectangle: the SVG stays small.
        let color = |shade: Shade| match shade {
            Shade::Trace => TRACE,
            Shade::Level(l) => style::sequential(l as f64 / (LEVELS - 1) as f64),
        };
        let mut cells = Vec::new();
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
                cells.push(Rectangle::new(
                    [(x_of(start), y_of(row0)), (x_of(end), y_of(r))],
                    color(shade).filled(),
                ));
            }
            open = next;
        }
        chart.draw_series(cells)?;
        for t in &panel.targets {
            let corners = [(t[0], t[1]), (t[2], t[3])];
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
        chart.draw_series(std::iter::once(Rectangle::new(
            [(vx0, vy0), (vx1, vy1)],
            style::MUTED.stroke_width(1),
        )))?;
        Ok(())
    }

    /// A horizontal colour bar in `strip` from `x`, labelled, with the
    /// "trace" and "none" swatches beside it.
    fn draw_color_bar<DB: DrawingBackend>(
        &self,
        strip: &DrawingArea<DB, Shift>,
        x: i32,
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let (bar_w, bar_h, top) = (480, 22, 28);
        let title = match self.kind {
            MapKind::Density => "Expected UXO per hectare (log scale)",
            MapKind::Probability => "Chance that the cell holds at least one UXO",
        };
        strip.draw(&Text::new(
            title.to_string(),
            (x, 0),
            style::text(style::LABEL_SIZE, style::INK),
        ))?;
        let steps = 160;
        for k in 0..steps {
            let x0 = x + bar_w * k / steps;
            let x1 = x + bar_w * (k + 1) / steps;
            let t = (k as f64 + 0.5) / steps as f64;
            let level = (t * (LEVELS - 1) as f64).round() / (LEVELS - 1) as f64;
            strip.draw(&Rectangle::new(
                [(x0, top), (x1, top + bar_h)],
                style::sequential(level).filled(),
            ))?;
        }
        strip.draw(&Rectangle::new(
            [(x, top), (x + bar_w, top + bar_h)],
            style::MUTED.stroke_width(1),
        ))?;
        let ticks: Vec<(f64, String)> = match self.kind {
            MapKind::Density => {
                let mut ticks = Vec::new();
                let mut v = self.lo;
                while v <= self.hi * 1.000_001 {
                    ticks.push((self.fraction(v), format::two_significant(v)));
                    v *= 10.0;
                }
                ticks
            }
            MapKind::Probability => {
                std::iter::once((self.trace, format::short_percent(self.trace)))
                    .chain((1..=5).map(|k| (k as f64 / 5.0, format::short_percent(k as f64 / 5.0))))
                    .collect()
            }
        };
        let tick_style = style::anchored(
            style::text(style::TICK_SIZE, style::INK),
            HPos::Center,
            VPos::Top,
        );
        for (t, label) in ticks {
            let tx = x + (bar_w as f64 * t).round() as i32;
            strip.draw(&PathElement::new(
                vec![(tx, top + bar_h), (tx, top + bar_h + 6)],
                style::INK.stroke_width(1),
            ))?;
            strip.draw(&Text::new(label, (tx, top + bar_h + 9), tick_style.clone()))?;
        }
        // Trace and none, as on the maps.
        let label_style = style::anchored(
            style::text(style::LABEL_SIZE, style::INK),
            HPos::Left,
            VPos::Center,
        );
        let mut sx = x + bar_w + 56;
        for (fill, label) in [
            (TRACE, self.trace_text()),
            (WHITE, "none in any replicate".to_string()),
        ] {
            strip.draw(&Rectangle::new(
                [(sx, top), (sx + 30, top + bar_h)],
                fill.filled(),
            ))?;
            strip.draw(&Rectangle::new(
                [(sx, top), (sx + 30, top + bar_h)],
                style::MUTED.stroke_width(1),
            ))?;
            strip.draw(&Text::new(
                label.clone(),
                (sx + 40, top + bar_h / 2),
                label_style.clone(),
            ))?;
            sx += 40 + style::text_width(&style::text(style::LABEL_SIZE, style::INK), &label) + 36;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Grid {
        Grid::new(&crate::scenario::Area {
            width_m: 5000.0,
            height_m: 5000.0,
            cell_m: 50.0,
        })
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
    fn partial_cells_have_their_own_area() {
        let g = Grid::new(&crate::scenario::Area {
            width_m: 250.0,
            height_m: 100.0,
            cell_m: 100.0,
        });
        assert_eq!(cell_hectares(&g, 0), 1.0);
        assert_eq!(cell_hectares(&g, 2), 0.5);
    }
}
