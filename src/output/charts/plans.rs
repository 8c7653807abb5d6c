//! Clearance plans side by side: the casualty curves of every scenario
//! with an aftermath, and the land released by the scenarios whose teams
//! search the map, each overlaid on one shared scale so that plans compare
//! at a glance (the per-scenario fan charts give each panel its own).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::layout::{self, Caption, FAN_CAPTION, FAN_TEXT_INSET, FAN_TEXT_MARGIN, Format, Rect};
use super::style::{self, LegendItem, Swatch};
use super::timeline::{self, Band, Quantity, capitalise, time_ticks};
use super::{Axis, CaptionText, DrawResult, Figure};
use crate::format;
use crate::stats::RunSummary;

/// One scenario's curve: median and 90% band at each step.
struct Curve {
    name: String,
    color: RGBColor,
    /// From step 0.
    bands: Vec<Band>,
}

/// The two overlaid panels.
pub struct Plans {
    replicates: u64,
    step_unit: String,
    steps: usize,
    casualties: Vec<Curve>,
    released: Vec<Curve>,
}

impl Plans {
    /// The chart when some scenario's teams search the map; `None`
    /// otherwise.
    pub fn new(summary: &RunSummary) -> Option<Self> {
        let with_teams =
            |s: &&crate::stats::ScenarioSummary| s.timeline.iter().any(|t| t.released_ha.is_some());
        if !summary.scenarios.iter().any(|s| with_teams(&s)) {
            return None;
        }
        let mut casualties = Vec::new();
        let mut released = Vec::new();
        for (i, s) in summary.scenarios.iter().enumerate() {
            if s.timeline.is_empty() {
                continue;
            }
            let color = style::scenario_color(i);
            casualties.push(Curve {
                name: s.name.clone(),
                color,
                bands: timeline::bands(s, Quantity::Casualties),
            });
            if with_teams(&s) {
                released.push(Curve {
                    name: s.name.clone(),
                    color,
                    bands: std::iter::once(Band::zero())
                        .chain(s.timeline.iter().filter_map(|t| {
                            t.released_ha
                                .as_ref()
                                .map(|r| Band::new(f64::from(t.step), r))
                        }))
                        .collect(),
                });
            }
        }
        Some(Plans {
            replicates: summary.replicates,
            step_unit: summary.step_unit.clone(),
            steps: summary.horizon(),
            casualties,
            released,
        })
    }

    fn subtitle(&self) -> String {
        format!(
            "Medians and middle 90% over {} replicates, every scenario on one scale.",
            format::thousands(self.replicates as f64)
        )
    }

    fn legend(&self) -> Vec<LegendItem> {
        self.casualties
            .iter()
            .map(|c| LegendItem::new(c.name.clone(), Swatch::LineOnBand(c.color)))
            .collect()
    }

    /// The panels' names and notes: the horizon's medians.
    fn panels(&self) -> [(&'static str, &Vec<Curve>, String); 2] {
        [
            (
                "Casualties so far",
                &self.casualties,
                Self::note(&self.casualties, ""),
            ),
            (
                "Land released (ha)",
                &self.released,
                Self::note(&self.released, " ha"),
            ),
        ]
    }

    /// Lines of the longest note in a panel `width` pixels wide (1 to 3).
    fn note_lines(&self, width: i32) -> usize {
        let note_style = style::text(style::NOTE_SIZE, style::INK);
        self.panels()
            .iter()
            .map(|(_, _, note)| super::wrap(note, &note_style, width - FAN_TEXT_MARGIN).len())
            .max()
            .unwrap_or(1)
            .clamp(1, 3)
    }

    fn x_axis(&self, format: Format) -> Axis<'static> {
        let steps = self.steps.max(1) as f64;
        Axis {
            range: 0.0..steps,
            ticks: time_ticks(
                steps,
                &self.step_unit,
                if format == Format::Narrow { 4 } else { 6 },
            ),
            desc: format!(
                "{} after the strikes",
                capitalise(&super::plural(&self.step_unit))
            ),
            format: &super::count_tick,
        }
    }

    /// The horizon's medians, one line per curve, for the panel's note.
    fn note(curves: &[Curve], unit: &str) -> String {
        curves
            .iter()
            .filter_map(|c| {
                c.bands
                    .last()
                    .map(|b| format!("{} {}{unit}", c.name, format::number(b.p50)))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl Figure for Plans {
    fn name(&self) -> String {
        "plans".to_string()
    }

    fn title(&self) -> String {
        "Clearance plans compared: casualties and land released".to_string()
    }

    fn caption(&self) -> String {
        format!(
            "The first panel shows the casualties so far of every scenario with an \
             aftermath; the second, the land its teams have searched at least once \
             (released) in the scenarios that clear on the map. Lines are medians over {} replicates, bands hold the middle \
             90% of them (5th to 95th percentile). Both panels put every scenario on one \
             shared scale, so that the plans compare directly; the notes give the medians \
             at the horizon. Released land is not land free of UXO: the table above gives \
             the live UXO left in it.",
            format::thousands(self.replicates as f64)
        )
    }

    fn size(&self, format: Format) -> (u32, u32) {
        match format {
            Format::Wide => (
                layout::PAGE_WIDTH,
                layout::page_height(layout::FAN_FIXED, layout::FAN_ROW, 1) + 60,
            ),
            Format::Narrow => {
                let width = format.page_width(layout::PAGE_WIDTH);
                let header = style::header_height(
                    format,
                    width,
                    &self.title(),
                    &[&self.subtitle()],
                    &self.legend(),
                );
                let panel = FAN_CAPTION.height(1, self.note_lines(width as i32)) as u32
                    + layout::NARROW_PLOT_HEIGHT;
                (width, header + 2 * panel)
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
            &self.legend(),
        )?;
        let cells = layout::panels(body, 2, format.most_columns(2));
        let note_style = style::text(style::NOTE_SIZE, style::INK);
        let panels = self.panels();
        let note_lines = self.note_lines(cells.first().map_or(0, Rect::width));
        for ((name, curves, note), cell) in panels.iter().zip(cells) {
            let caption = Caption::new(cell, FAN_TEXT_INSET, 1, note_lines, FAN_CAPTION);
            let text = CaptionText {
                name: (name, style::bold(style::PANEL_TITLE_SIZE, style::INK), 1),
                note: (note, note_style.clone(), 3),
                width: cell.width() - FAN_TEXT_MARGIN,
            };
            super::draw_caption(root, &caption, &text)?;
            let top = curves
                .iter()
                .flat_map(|c| c.bands.iter().map(|b| b.p95))
                .fold(0.0, f64::max)
                .max(1.0)
                * 1.05;
            let y = Axis {
                range: 0.0..top,
                ticks: style::count_ticks(0.0, top, if format == Format::Narrow { 5 } else { 6 }),
                desc: (*name).to_string(),
                format: &super::count_tick,
            };
            let area = super::region(root, caption.plot);
            let mut chart = super::plot(&area, &self.x_axis(format), &y)?;
            let series: Vec<(RGBColor, &[Band])> =
                curves.iter().map(|c| (c.color, &c.bands[..])).collect();
            timeline::draw_overlaid(&mut chart, &series, 0.15)?;
        }
        Ok(())
    }
}
