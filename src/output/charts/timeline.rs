//! Fan charts over the aftermath: live UXO, and cumulative casualties, at
//! each step, as a median line inside its 50% band (25th–75th percentile)
//! and 90% band (5th–95th). One panel per scenario, each on its own
//! vertical scale, because scenarios can differ thirtyfold.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::layout::{
    self, Caption, FAN_CAPTION, FAN_COLUMNS, FAN_TEXT_INSET, FAN_TEXT_MARGIN, Rect,
};
use super::style::{self, LegendItem, Swatch};
use super::{Axis, CaptionText, DrawResult, Figure};
use crate::format;
use crate::stats::RunSummary;
use crate::stats::Summary;

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
struct Band {
    step: f64,
    p05: f64,
    p25: f64,
    p50: f64,
    p75: f64,
    p95: f64,
}

impl Band {
    fn new(step: f64, s: &Summary) -> Self {
        Band {
            step,
            p05: s.p05,
            p25: s.p25,
            p50: s.p50,
            p75: s.p75,
            p95: s.p95,
        }
    }
}

struct Panel {
    name: String,
    color: RGBColor,
    /// Empty when the scenario has no aftermath.
    bands: Vec<Band>,
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
            .map(|(i, s)| {
                let mut bands = Vec::with_capacity(s.timeline.len() + 1);
                if !s.timeline.is_empty() {
                    bands.push(match quantity {
                        Quantity::Live => Band::new(0.0, &s.unexploded),
                        Quantity::Casualties => Band {
                            step: 0.0,
                            p05: 0.0,
                            p25: 0.0,
                            p50: 0.0,
                            p75: 0.0,
                            p95: 0.0,
                        },
                    });
                }
                bands.extend(s.timeline.iter().map(|t| {
                    let q = match quantity {
                        Quantity::Live => &t.live,
                        Quantity::Casualties => &t.casualties,
                    };
                    Band::new(t.step as f64, q)
                }));
                Panel {
                    name: s.name.clone(),
                    color: style::scenario_color(i),
                    bands,
                }
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

    fn columns(&self) -> usize {
        layout::columns(self.panels.len(), FAN_COLUMNS)
    }

    fn rows(&self) -> usize {
        layout::rows(self.panels.len(), FAN_COLUMNS)
    }

    /// The figures at the horizon, under the scenario's name.
    fn note(&self, panel: &Panel) -> String {
        match panel.bands.last() {
            Some(last) => format!(
                "At {} {}: median {}, 90% from {} to {}",
                self.step_unit,
                last.step,
                format::number(last.p50),
                format::number(last.p05),
                format::number(last.p95)
            ),
            None => "no aftermath modelled".to_string(),
        }
    }

    fn what(&self) -> &'static str {
        match self.quantity {
            Quantity::Live => "live unexploded submunitions",
            Quantity::Casualties => "casualties so far",
        }
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

    fn size(&self) -> (u32, u32) {
        let rows = self.rows() as u32;
        (
            layout::PAGE_WIDTH,
            layout::page_height(layout::FAN_FIXED, layout::FAN_ROW, rows),
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let subtitle = format!(
            "Median and spread over {} replicates. Each panel has its own vertical scale.",
            format::thousands(self.replicates as f64)
        );
        let grey = style::MUTED;
        let body = style::header(
            root,
            &self.title(),
            &[&subtitle],
            &[
                LegendItem::new("median", Swatch::Line(grey)),
                LegendItem::new("middle 50% of replicates", Swatch::Fill(grey, 0.45)),
                LegendItem::new("middle 90%", Swatch::Fill(grey, 0.18)),
            ],
        )?;
        let cells = layout::panels(body, self.panels.len(), FAN_COLUMNS);
        // Room for the longest scenario name (at most three lines) and note.
        let name_style = style::bold(style::PANEL_TITLE_SIZE, style::INK);
        let note_style = style::text(style::NOTE_SIZE, style::INK);
        let most_lines = |text: &dyn Fn(&Panel) -> String, style: &TextStyle<'_>| {
            self.panels
                .iter()
                .zip(&cells)
                .map(|(p, cell)| super::wrap(&text(p), style, text_width(cell)).len())
                .max()
                .unwrap_or(1)
        };
        let name_lines = most_lines(&|p| p.name.clone(), &name_style).clamp(1, 3);
        let note_lines = most_lines(&|p| self.note(p), &note_style).clamp(1, 2);
        for (panel, cell) in self.panels.iter().zip(cells) {
            let caption = Caption::new(cell, FAN_TEXT_INSET, name_lines, note_lines, FAN_CAPTION);
            self.draw_panel(root, panel, &caption)?;
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
        let (x, y) = self.axes(panel);
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
    fn axes(&self, panel: &Panel) -> (Axis<'static>, Axis<'static>) {
        let unit = &self.step_unit;
        let top = panel
            .bands
            .iter()
            .map(|b| b.p95)
            .fold(0.0, f64::max)
            .max(1.0)
            * 1.05;
        let steps = self.steps.max(1) as f64;
        let x = Axis {
            range: 0.0..steps,
            ticks: time_ticks(steps, unit, if self.columns() >= 3 { 6 } else { 10 }),
            desc: format!("{} after the strikes", capitalise(&super::plural(unit))),
            format: &super::count_tick,
        };
        let y = Axis {
            range: 0.0..top,
            ticks: style::count_ticks(0.0, top, 6),
            desc: capitalise(self.what()),
            format: &super::count_tick,
        };
        (x, y)
    }
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
