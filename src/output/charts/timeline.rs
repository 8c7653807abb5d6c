//! Charts over the aftermath: live UXO, and cumulative casualties, at
//! each step. [`Fan`] draws a median line inside its 50% band (25th–75th
//! percentile) and 90% band (5th–95th), one panel per scenario, each on
//! its own vertical scale, because scenarios can differ thirtyfold and the
//! smallest would be a flat line on the largest's scale; [`Compared`]
//! draws every scenario's median and 90% band on one plot and one scale,
//! so that the gap between scenarios shows as it is, also in a picture
//! that travels without its caption.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::layout::{
    self, Caption, FAN_CAPTION, FAN_COLUMNS, FAN_TEXT_INSET, FAN_TEXT_MARGIN, Format, Rect,
};
use super::style::{self, LegendItem, Swatch};
use super::{Axis, CaptionText, DrawResult, Figure};
use crate::format;
use crate::stats::RunSummary;
use crate::stats::{ScenarioSummary, Summary};

/// What a fan chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// Live UXO at the end of each step (step 0: right after the strikes).
    Live,
    /// Casualties so far.
    Casualties,
}

/// Quantiles at one step.
#[derive(Debug, Clone, Copy)]
pub(super) struct Band {
    pub(super) step: f64,
    p05: f64,
    p25: f64,
    pub(super) p50: f64,
    p75: f64,
    pub(super) p95: f64,
}

impl Band {
    pub(super) fn new(step: f64, s: &Summary) -> Self {
        Band {
            step,
            p05: s.p05,
            p25: s.p25,
            p50: s.p50,
            p75: s.p75,
            p95: s.p95,
        }
    }

    /// Nothing yet: the band at the strikes of a count that starts at 0.
    pub(super) fn zero() -> Self {
        Band {
            step: 0.0,
            p05: 0.0,
            p25: 0.0,
            p50: 0.0,
            p75: 0.0,
            p95: 0.0,
        }
    }
}

struct Panel {
    name: String,
    color: RGBColor,
    /// Empty when the scenario has no aftermath.
    bands: Vec<Band>,
    /// The figures at the horizon, when there is an aftermath.
    horizon: Option<Summary>,
}

impl Quantity {
    /// This quantity's figures at one step.
    fn of(self, t: &crate::stats::StepSummary) -> &Summary {
        match self {
            Quantity::Live => &t.live,
            Quantity::Casualties => &t.casualties,
        }
    }

    /// What is counted, in words.
    fn what(self) -> &'static str {
        match self {
            Quantity::Live => "live unexploded submunitions",
            Quantity::Casualties => "casualties so far",
        }
    }
}

/// A scenario's bands from the strikes (step 0) to the horizon; none
/// without an aftermath.
pub(super) fn bands(s: &ScenarioSummary, quantity: Quantity) -> Vec<Band> {
    let mut bands = Vec::with_capacity(s.timeline.len() + 1);
    if !s.timeline.is_empty() {
        bands.push(match quantity {
            Quantity::Live => Band::new(0.0, &s.unexploded),
            Quantity::Casualties => Band::zero(),
        });
    }
    bands.extend(
        s.timeline
            .iter()
            .map(|t| Band::new(t.step as f64, quantity.of(t))),
    );
    bands
}

/// The median of `s` and its 90% interval, each rounded to what its
/// precision supports: `6,980`, `4,410 to 10,310`.
fn rounded_median(s: &Summary) -> (String, String) {
    let r = |q: f64, v: f64| format::rounded(v, s.quantile_uncertainty(q, v));
    (
        r(0.5, s.p50),
        format::range(&r(0.05, s.p05), &r(0.95, s.p95)),
    )
}

/// A fan chart of one quantity, one panel per scenario.
pub struct Fan {
    quantity: Quantity,
    replicates: u64,
    step_unit: String,
    steps: usize,
    panels: Vec<Panel>,
}

impl Fan {
    pub fn new(summary: &RunSummary, quantity: Quantity) -> Self {
        let panels: Vec<Panel> = summary
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| Panel {
                name: s.name.clone(),
                color: style::scenario_color(i),
                bands: bands(s, quantity),
                horizon: s.timeline.last().map(|t| *quantity.of(t)),
            })
            .collect();
        Fan {
            quantity,
            replicates: summary.replicates,
            step_unit: summary.step_unit.clone(),
            steps: summary.horizon(),
            panels,
        }
    }

    fn columns(&self, format: Format) -> usize {
        layout::columns(self.panels.len(), format.most_columns(FAN_COLUMNS))
    }

    fn rows(&self, format: Format) -> usize {
        layout::rows(self.panels.len(), format.most_columns(FAN_COLUMNS))
    }

    /// The figures at the horizon, under the scenario's name.
    fn note(&self, panel: &Panel) -> String {
        match (&panel.horizon, panel.bands.last()) {
            (Some(h), Some(last)) => {
                let (median, interval) = rounded_median(h);
                format!(
                    "At {} {}: median {median}, 90% from {interval}",
                    self.step_unit, last.step
                )
            }
            _ => "no aftermath modelled".to_string(),
        }
    }

    /// Lines of the longest name (at most three) and of the longest note
    /// (at most two), in cells `cell_width` pixels wide.
    fn caption_lines(&self, cell_width: i32) -> (usize, usize) {
        let name_style = style::bold(style::PANEL_TITLE_SIZE, style::INK);
        let note_style = style::text(style::NOTE_SIZE, style::INK);
        let width = cell_width - FAN_TEXT_MARGIN;
        let most_lines = |text: &dyn Fn(&Panel) -> String, style: &TextStyle<'_>| {
            self.panels
                .iter()
                .map(|p| super::wrap(&text(p), style, width).len())
                .max()
                .unwrap_or(1)
        };
        (
            most_lines(&|p| p.name.clone(), &name_style).clamp(1, 3),
            most_lines(&|p| self.note(p), &note_style).clamp(1, 2),
        )
    }

    fn subtitle(&self) -> String {
        format!(
            "Median and spread over {} replicates. Each panel has its own vertical scale.",
            format::thousands(self.replicates as f64)
        )
    }

    fn legend() -> [LegendItem; 3] {
        let grey = style::MUTED;
        [
            LegendItem::new("median", Swatch::Line(grey)),
            LegendItem::new("middle 50% of replicates", Swatch::Fill(grey, 0.45)),
            LegendItem::new("middle 90%", Swatch::Fill(grey, 0.18)),
        ]
    }

    fn what(&self) -> &'static str {
        self.quantity.what()
    }
}

impl Figure for Fan {
    fn name(&self) -> String {
        match self.quantity {
            Quantity::Live => "live-uxo",
            Quantity::Casualties => "casualties",
        }
        .to_string()
    }

    fn title(&self) -> String {
        match self.quantity {
            Quantity::Live => "Live unexploded submunitions over time",
            Quantity::Casualties => "Casualties over time (cumulative)",
        }
        .to_string()
    }

    fn caption(&self) -> String {
        format!(
            "The number of {} at each {} after the strikes: the line is the \
             median of {} replicates, the dark band holds the middle 50% of \
             them (25th to 75th percentile), the light band the middle 90% \
             (5th to 95th). Each scenario has its own panel and vertical scale.",
            self.what(),
            self.step_unit,
            format::thousands(self.replicates as f64)
        )
    }

    fn size(&self, format: Format) -> (u32, u32) {
        match format {
            Format::Wide => (
                layout::PAGE_WIDTH,
                layout::page_height(layout::FAN_FIXED, layout::FAN_ROW, self.rows(format) as u32),
            ),
            Format::Narrow => {
                let width = format.page_width(layout::PAGE_WIDTH);
                let header = style::header_height(
                    format,
                    width,
                    &self.title(),
                    &[&self.subtitle()],
                    &Self::legend(),
                );
                let (names, notes) = self.caption_lines(width as i32);
                let panel = FAN_CAPTION.height(names, notes) as u32 + layout::NARROW_PLOT_HEIGHT;
                (width, header + panel * self.panels.len() as u32)
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
        let body = style::header(
            root,
            format,
            &self.title(),
            &[&self.subtitle()],
            &Self::legend(),
        )?;
        let cells = layout::panels(body, self.panels.len(), format.most_columns(FAN_COLUMNS));
        // Room for the longest scenario name and note.
        let (name_lines, note_lines) = self.caption_lines(cells.first().map_or(0, Rect::width));
        for (panel, cell) in self.panels.iter().zip(cells) {
            let caption = Caption::new(cell, FAN_TEXT_INSET, name_lines, note_lines, FAN_CAPTION);
            self.draw_panel(root, panel, &caption, format)?;
        }
        Ok(())
    }
}

/// How wide the caption lines of a panel in `cell` may be.
fn text_width(cell: &Rect) -> i32 {
    cell.width() - FAN_TEXT_MARGIN
}

impl Fan {
    /// A panel: the scenario's name and note in `caption`, the fan under
    /// it (or a word that there is none).
    fn draw_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        panel: &Panel,
        caption: &Caption,
        format: Format,
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let note = self.note(panel);
        let text = CaptionText {
            name: (
                &panel.name,
                style::bold(style::PANEL_TITLE_SIZE, panel.color),
                3,
            ),
            note: (&note, style::text(style::NOTE_SIZE, style::INK), 2),
            width: text_width(&caption.text),
        };
        super::draw_caption(root, caption, &text)?;
        let plot = caption.plot;
        if panel.bands.is_empty() {
            root.draw(&Text::new(
                "No aftermath modelled for this scenario".to_string(),
                plot.at((plot.width() / 2, plot.height() / 3)),
                style::anchored(
                    style::text(style::LABEL_SIZE, style::MUTED),
                    HPos::Center,
                    VPos::Center,
                ),
            ))?;
            return Ok(());
        }
        let (x, y) = self.axes(panel, format);
        let area = super::region(root, plot);
        let mut chart = super::plot(&area, &x, &y)?;
        let band = |lo: fn(&Band) -> f64, hi: fn(&Band) -> f64| -> Vec<(f64, f64)> {
            panel
                .bands
                .iter()
                .map(|b| (b.step, hi(b)))
                .chain(panel.bands.iter().rev().map(|b| (b.step, lo(b))))
                .collect()
        };
        chart.draw_series(std::iter::once(Polygon::new(
            band(|b| b.p05, |b| b.p95),
            panel.color.mix(0.18).filled(),
        )))?;
        chart.draw_series(std::iter::once(Polygon::new(
            band(|b| b.p25, |b| b.p75),
            panel.color.mix(0.45).filled(),
        )))?;
        chart.draw_series(LineSeries::new(
            panel.bands.iter().map(|b| (b.step, b.p50)),
            panel.color.stroke_width(3),
        ))?;
        Ok(())
    }

    /// The axes of a panel: the steps, and counts up to above its 95th
    /// percentiles.
    fn axes(&self, panel: &Panel, format: Format) -> (Axis<'static>, Axis<'static>) {
        let top = panel.bands.iter().map(|b| b.p95).fold(0.0, f64::max);
        let most = if self.columns(format) >= 3 || format == Format::Narrow {
            6
        } else {
            10
        };
        time_axes(&self.step_unit, self.steps, top, most, self.what())
    }
}

/// The axes over the aftermath: the steps (`most` ticks at most), and
/// counts of `what` up to above `top`.
fn time_axes(
    unit: &str,
    steps: usize,
    top: f64,
    most: usize,
    what: &str,
) -> (Axis<'static>, Axis<'static>) {
    let top = top.max(1.0) * 1.05;
    let steps = steps.max(1) as f64;
    let x = Axis {
        range: 0.0..steps,
        ticks: time_ticks(steps, unit, most),
        desc: format!("{} after the strikes", capitalise(&super::plural(unit))),
        format: &super::count_tick,
    };
    let y = Axis {
        range: 0.0..top,
        ticks: style::count_ticks(0.0, top, 6),
        desc: capitalise(what),
        format: &super::count_tick,
    };
    (x, y)
}

/// Every scenario's median and 90% band of one quantity over time, on one
/// plot and one vertical scale.
pub struct Compared {
    quantity: Quantity,
    replicates: u64,
    step_unit: String,
    steps: usize,
    /// The scenarios with an aftermath, each with its place in the file.
    series: Vec<Panel>,
    /// The names of the scenarios without one.
    without: Vec<String>,
}

impl Compared {
    pub fn new(summary: &RunSummary, quantity: Quantity) -> Self {
        let mut series = Vec::new();
        let mut without = Vec::new();
        for (i, s) in summary.scenarios.iter().enumerate() {
            if s.timeline.is_empty() {
                without.push(s.name.clone());
                continue;
            }
            series.push(Panel {
                name: s.name.clone(),
                color: style::scenario_color(i),
                bands: bands(s, quantity),
                horizon: s.timeline.last().map(|t| *quantity.of(t)),
            });
        }
        Compared {
            quantity,
            replicates: summary.replicates,
            step_unit: summary.step_unit.clone(),
            steps: summary.horizon(),
            series,
            without,
        }
    }

    fn subtitle(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "Median (line) and middle 90% (band) of {} replicates of each scenario, on one \
             vertical scale.",
            format::thousands(self.replicates as f64)
        )];
        if !self.without.is_empty() {
            lines.push(format!(
                "No aftermath modelled for {}.",
                self.without.join(", ")
            ));
        }
        lines
    }

    /// One entry per scenario, with its median at the horizon.
    fn legend(&self) -> Vec<LegendItem> {
        self.series
            .iter()
            .map(|s| {
                let label = match &s.horizon {
                    Some(h) => format!(
                        "{}: median {} at {} {}",
                        s.name,
                        rounded_median(h).0,
                        self.step_unit,
                        self.steps
                    ),
                    None => s.name.clone(),
                };
                LegendItem::new(label, Swatch::LineOnBand(s.color))
            })
            .collect()
    }

    /// Height of the plot, axes included, in `format`.
    fn plot_height(format: Format) -> u32 {
        match format {
            Format::Wide => 560,
            Format::Narrow => layout::NARROW_PLOT_HEIGHT + 60,
        }
    }
}

impl Figure for Compared {
    fn name(&self) -> String {
        match self.quantity {
            Quantity::Live => "live-uxo-compared",
            Quantity::Casualties => "casualties-compared",
        }
        .to_string()
    }

    fn title(&self) -> String {
        match self.quantity {
            Quantity::Live => "Live unexploded submunitions over time, on one scale",
            Quantity::Casualties => "Casualties over time (cumulative), on one scale",
        }
        .to_string()
    }

    fn caption(&self) -> String {
        format!(
            "The number of {} at each {} after the strikes in every scenario on one \
             vertical scale, so that the scenarios compare as they are: the line is \
             the median of {} replicates, the band holds the middle 90% of them (5th \
             to 95th percentile). The panels of the next chart show each scenario on \
             its own scale, where its spread is easier to read.",
            self.quantity.what(),
            self.step_unit,
            format::thousands(self.replicates as f64)
        )
    }

    fn size(&self, format: Format) -> (u32, u32) {
        let width = format.page_width(layout::PAGE_WIDTH);
        let subtitle = self.subtitle();
        let subtitle: Vec<&str> = subtitle.iter().map(String::as_str).collect();
        let header = style::header_height(format, width, &self.title(), &subtitle, &self.legend());
        let height = header + Self::plot_height(format);
        match format {
            Format::Wide => (width, height.max(layout::MIN_PAGE_HEIGHT)),
            Format::Narrow => (width, height),
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
        let subtitle: Vec<&str> = subtitle.iter().map(String::as_str).collect();
        let body = style::header(root, format, &self.title(), &subtitle, &self.legend())?;
        let top = self
            .series
            .iter()
            .flat_map(|s| s.bands.iter().map(|b| b.p95))
            .fold(0.0, f64::max);
        let most = if format == Format::Narrow { 6 } else { 10 };
        let (x, y) = time_axes(&self.step_unit, self.steps, top, most, self.quantity.what());
        let area = super::region(root, body);
        let mut chart = super::plot(&area, &x, &y)?;
        let series: Vec<(RGBColor, &[Band])> = self
            .series
            .iter()
            .map(|s| (s.color, &s.bands[..]))
            .collect();
        draw_overlaid(&mut chart, &series, 0.16)
    }
}

/// Paints several series on one plot: each one's 90% band (at `opacity`),
/// then each one's median, so that no band hides a median.
pub(super) fn draw_overlaid<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, super::Coords>,
    series: &[(RGBColor, &[Band])],
    opacity: f64,
) -> DrawResult<()>
where
    DB::ErrorType: 'static,
{
    for (color, bands) in series {
        let band: Vec<(f64, f64)> = bands
            .iter()
            .map(|b| (b.step, b.p95))
            .chain(bands.iter().rev().map(|b| (b.step, b.p05)))
            .collect();
        chart.draw_series(std::iter::once(Polygon::new(
            band,
            color.mix(opacity).filled(),
        )))?;
    }
    for (color, bands) in series {
        chart.draw_series(LineSeries::new(
            bands.iter().map(|b| (b.step, b.p50)),
            color.stroke_width(3),
        ))?;
    }
    Ok(())
}

/// Ticks for a time axis from 0 to `steps`: multiples of a year when the
/// unit is a month or a week, round numbers otherwise; at most `most`.
pub fn time_ticks(steps: f64, unit: &str, most: usize) -> Vec<f64> {
    let year = match unit.trim_end_matches('s') {
        "month" => Some(12.0),
        "week" => Some(52.0),
        _ => None,
    };
    if let Some(year) = year {
        for years in [0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0] {
            let step: f64 = year * years;
            if step.fract() == 0.0 && steps / step <= (most - 1) as f64 && steps >= step {
                let n = (steps / step).floor() as usize;
                return (0..=n).map(|k| k as f64 * step).collect();
            }
        }
    }
    style::count_ticks(0.0, steps, most.saturating_sub(1).max(2))
}

/// First letter in upper case.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
