//! The chart `calibration` of `dudsim calibrate`: every observed count
//! over its posterior predictive distribution (the counts the fitted
//! scenario simulates for the same period: a light band for the middle
//! 90%, a dark band for the middle 50%, a line at the median), one panel
//! per observed quantity, observations in the order of the records file.
//! Counts left out of the fit (`--hold-out`) are drawn in another colour:
//! they check the forecast.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::layout::{self, CALIBRATION_COLUMNS, Caption, FAN_CAPTION, FAN_TEXT_INSET, Format};
use super::style::{self, LegendItem, Swatch};
use super::{Axis, CaptionText, DrawResult, Figure};
use crate::analysis::calibration::{Calibrated, ObservationCheck};
use crate::format;
use crate::scenario::Quantity;

/// The colour of the bands.
const BAND: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// The colour of a fitted observation.
const FITTED: RGBColor = style::INK;
/// The colour of a held-out observation.
const HELD_OUT: RGBColor = RGBColor(0xD5, 0x5E, 0x00);

/// Where observation `k` of a panel goes along its horizontal axis, in
/// axis units: slot `k` is `[k, k + 1)`; its bands span the middle 60% of
/// it and its mark sits in the middle. Returns (left, middle, right).
pub fn slot(k: usize) -> (f64, f64, f64) {
    let k = k as f64;
    (k + 0.2, k + 0.5, k + 0.8)
}

/// The vertical axis of a quantity's panel.
fn axis_label(quantity: Quantity) -> &'static str {
    match quantity {
        Quantity::Casualties => "Casualties",
        Quantity::Encounters => "Encounters",
        Quantity::Cleared => "Submunitions cleared",
        Quantity::Live => "Live submunitions",
    }
}

/// One observation on a panel.
struct Item {
    /// The period, for the axis: `0-20`, `at 68`.
    tick: String,
    observed: f64,
    q05: f64,
    q25: f64,
    median: f64,
    q75: f64,
    q95: f64,
    held_out: bool,
}

impl Item {
    fn new(check: &ObservationCheck) -> Item {
        let r = &check.record;
        let time = |x: f64| format::trimmed(x, 4);
        let tick = match r.from() {
            Some(from) => format!("{}-{}", time(from), time(r.to())),
            None => format!("at {}", time(r.to())),
        };
        let b = check.band;
        Item {
            tick,
            observed: r.count() as f64,
            q05: b.q05,
            q25: b.q25,
            median: b.median,
            q75: b.q75,
            q95: b.q95,
            held_out: check.held_out,
        }
    }

    fn inside(&self) -> bool {
        (self.q05..=self.q95).contains(&self.observed)
    }
}

/// The observations of one quantity.
struct Panel {
    quantity: Quantity,
    items: Vec<Item>,
}

impl Panel {
    /// Under the quantity's name: how many counts fall in their 90% band.
    fn note(&self) -> String {
        let count = |held: bool| {
            let items: Vec<&Item> = self.items.iter().filter(|i| i.held_out == held).collect();
            (items.iter().filter(|i| i.inside()).count(), items.len())
        };
        let (fitted_in, fitted) = count(false);
        let (held_in, held) = count(true);
        let mut note = String::new();
        if fitted > 0 {
            note.push_str(&format!(
                "Fitted: {fitted_in} of {fitted} inside the 90% band."
            ));
        }
        if held > 0 {
            if !note.is_empty() {
                note.push(' ');
            }
            note.push_str(&format!(
                "Held out: {held_in} of {held} inside the 90% band."
            ));
        }
        note
    }
}

/// The chart of a calibration.
pub struct CalibrationChart {
    scenario: String,
    rate_unit: String,
    particles: usize,
    held_out: usize,
    panels: Vec<Panel>,
}

impl CalibrationChart {
    /// The chart of `calibrated`.
    pub fn new(calibrated: &Calibrated) -> CalibrationChart {
        let panels = Quantity::ALL
            .into_iter()
            .filter_map(|quantity| {
                let items: Vec<Item> = calibrated
                    .observations
                    .iter()
                    .filter(|o| o.record.quantity() == quantity)
                    .map(Item::new)
                    .collect();
                (!items.is_empty()).then_some(Panel { quantity, items })
            })
            .collect();
        CalibrationChart {
            scenario: calibrated.scenario.clone(),
            rate_unit: calibrated.records.rate_unit().name().to_string(),
            particles: calibrated.options.particles,
            held_out: calibrated.options.hold_out,
            panels,
        }
    }

    fn rows(&self) -> usize {
        layout::rows(self.panels.len(), CALIBRATION_COLUMNS)
    }
}

impl Figure for CalibrationChart {
    fn name(&self) -> String {
        "calibration".to_string()
    }

    fn title(&self) -> String {
        format!("Records against the calibrated scenario: {}", self.scenario)
    }

    fn caption(&self) -> String {
        let held = if self.held_out > 0 {
            format!(
                " The last {} count(s) of the records file, in orange, were left out of the \
                 fit: they check the forecast.",
                self.held_out
            )
        } else {
            String::new()
        };
        format!(
            "Each diamond is a count from the records; behind it, what the calibrated \
             scenario simulates for the same period: the light band holds the middle 90% of \
             the simulations with the fitted inputs, the dark band the middle 50%, the line \
             their median. A count inside its light band is one the fitted scenario finds \
             unremarkable.{held} Periods in {}s since the strikes.",
            self.rate_unit
        )
    }

    fn size(&self, format: Format) -> (u32, u32) {
        match format {
            Format::Wide => (
                layout::PAGE_WIDTH,
                layout::page_height(
                    layout::CALIBRATION_FIXED,
                    layout::CALIBRATION_ROW,
                    self.rows() as u32,
                ),
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
                let panel = FAN_CAPTION.height(1, 1) as u32 + layout::NARROW_PLOT_HEIGHT;
                (width, header + panel * self.panels.len().max(1) as u32)
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
        let cells = layout::panels(
            body,
            self.panels.len(),
            format.most_columns(CALIBRATION_COLUMNS),
        );
        for (panel, cell) in self.panels.iter().zip(cells) {
            let caption = Caption::new(cell, FAN_TEXT_INSET, 1, 1, FAN_CAPTION);
            self.draw_panel(root, panel, &caption, format)?;
        }
        Ok(())
    }
}

impl CalibrationChart {
    fn subtitle(&self) -> String {
        format!(
            "Posterior predictive bands from {} particles, each count's period in {}s since \
             the strikes.",
            format::thousands(self.particles as f64),
            self.rate_unit
        )
    }

    fn legend(&self) -> Vec<LegendItem> {
        let mut legend = vec![
            LegendItem::new("count fitted", Swatch::Diamond(FITTED)),
            LegendItem::new("simulated median", Swatch::Line(BAND)),
            LegendItem::new("middle 50%", Swatch::Fill(BAND, 0.45)),
            LegendItem::new("middle 90%", Swatch::Fill(BAND, 0.18)),
        ];
        if self.held_out > 0 {
            legend.insert(
                1,
                LegendItem::new("count held out", Swatch::Diamond(HELD_OUT)),
            );
        }
        legend
    }

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
        let name = super::timeline::capitalise(panel.quantity.description());
        let note = panel.note();
        let text = CaptionText {
            name: (&name, style::bold(style::PANEL_TITLE_SIZE, style::INK), 1),
            note: (&note, style::text(style::NOTE_SIZE, style::INK), 1),
            width: caption.text.width() - layout::FAN_TEXT_MARGIN,
        };
        super::draw_caption(root, caption, &text)?;

        let n = panel.items.len();
        let top = panel
            .items
            .iter()
            .map(|i| i.q95.max(i.observed))
            .fold(1.0, f64::max)
            * 1.08;
        let ticks: Vec<f64> = (0..n).map(|k| slot(k).1).collect();
        let labels: Vec<String> = panel.items.iter().map(|i| i.tick.clone()).collect();
        let tick_label = |v: &f64| {
            let k = v.floor() as usize;
            labels.get(k).cloned().unwrap_or_default()
        };
        let x = Axis {
            range: 0.0..n as f64,
            ticks,
            desc: format!(
                "Period, {}s since the strikes (in records-file order)",
                self.rate_unit
            ),
            format: &tick_label,
        };
        let y = Axis {
            range: 0.0..top,
            ticks: style::count_ticks(0.0, top, if format == Format::Narrow { 5 } else { 6 }),
            desc: axis_label(panel.quantity).to_string(),
            format: &super::count_tick,
        };
        let area = super::region(root, caption.plot);
        let mut chart = super::plot(&area, &x, &y)?;
        for (k, item) in panel.items.iter().enumerate() {
            let (left, middle, right) = slot(k);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(left, item.q05), (right, item.q95)],
                BAND.mix(0.18).filled(),
            )))?;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(left, item.q25), (right, item.q75)],
                BAND.mix(0.45).filled(),
            )))?;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(left, item.median), (right, item.median)],
                BAND.stroke_width(3),
            )))?;
            let color = if item.held_out { HELD_OUT } else { FITTED };
            let at = super::page_point(root, &chart, (middle, item.observed));
            root.draw(&style::diamond(at, 9, color))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_tile_the_axis_and_centre_their_marks() {
        for k in 0..5 {
            let (left, middle, right) = slot(k);
            assert!(k as f64 <= left && left < middle && middle < right);
            assert!(right < (k + 1) as f64);
            assert_eq!(middle, k as f64 + 0.5);
            assert!(((middle - left) - (right - middle)).abs() < 1e-12);
        }
    }
}
