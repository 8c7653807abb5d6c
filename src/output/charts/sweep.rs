//! The sweep chart: expected UXO, and casualties at the horizon, against
//! the dud rate, each scenario's mean with its 90% band, with the two
//! figures of the news marked (the 2.35% the US claims for its DPICM, the
//! 30–40% reported for Russian cluster munitions).

use plotters::coord::Shift;
use plotters::prelude::*;

use plotters::style::text_anchor::{HPos, VPos};

use super::layout::{self, Caption, Format, Rect};
use super::style::{self, LegendItem, Swatch};
use super::{Axis, Coords, DrawResult, Figure};
use crate::analysis::sweep::Sweep;
use crate::format;
use crate::stats::Summary;

/// The dud rate the US stated for the DPICM it sent to Ukraine (an upper bound).
pub const US_CLAIM: f64 = 0.0235;
/// The range of dud rates reported for Russian cluster munitions in Ukraine.
pub const REPORTED_RUSSIAN: (f64, f64) = (0.30, 0.40);

/// Mean and 90% interval at one dud rate.
#[derive(Debug, Clone, Copy)]
struct Point {
    rate: f64,
    mean: f64,
    p05: f64,
    p95: f64,
}

impl Point {
    fn new(rate: f64, s: &Summary) -> Self {
        Point {
            rate,
            mean: s.mean,
            p05: s.p05,
            p95: s.p95,
        }
    }
}

/// The chart of a sweep.
pub struct SweepChart {
    replicates: u64,
    step_unit: String,
    horizon: usize,
    names: Vec<String>,
    /// Per scenario: UXO after the strikes.
    uxo: Vec<Vec<Point>>,
    /// Per scenario: casualties at the horizon (empty without aftermath).
    casualties: Vec<Vec<Point>>,
    range: (f64, f64),
    coincide: bool,
    /// What is swept: `dud_rate` (every munition's) or an input's key.
    parameter: String,
    /// Whether the values are dud rates, drawn beside the published ones.
    dud_rates: bool,
}

impl SweepChart {
    pub fn new(sweep: &Sweep) -> Self {
        let n = sweep.scenarios.len();
        let mut uxo = vec![Vec::new(); n];
        let mut casualties = vec![Vec::new(); n];
        for point in &sweep.points {
            for (i, s) in point.scenarios.iter().enumerate() {
                uxo[i].push(Point::new(point.value, &s.unexploded));
                if let Some(last) = &s.horizon {
                    casualties[i].push(Point::new(point.value, &last.casualties));
                }
            }
        }
        let first = sweep.points.first().map_or(0.0, |p| p.value);
        let last = sweep.points.last().map_or(1.0, |p| p.value);
        SweepChart {
            replicates: sweep.replicates,
            step_unit: sweep.step_unit.clone(),
            horizon: sweep.horizon(),
            names: sweep.scenarios.clone(),
            uxo,
            casualties,
            range: (first, last),
            coincide: sweep.coincide,
            parameter: sweep.parameter.clone(),
            dud_rates: sweep.dud_rates,
        }
    }

    /// Whether every munition's dud rate is swept.
    fn every_dud_rate(&self) -> bool {
        self.parameter == "dud_rate"
    }

    /// What the horizontal axis holds, for titles: `the dud rate`, or the key.
    fn against(&self) -> String {
        if self.every_dud_rate() {
            "the dud rate".to_string()
        } else {
            self.parameter.clone()
        }
    }

    fn has_casualties(&self) -> bool {
        self.casualties.iter().any(|c| !c.is_empty())
    }

    /// The horizontal range: the swept rates, widened when they are one point.
    fn x_range(&self) -> (f64, f64) {
        let (lo, hi) = self.range;
        if hi > lo {
            (lo, hi)
        } else if self.dud_rates {
            ((lo - 0.05).max(0.0), (hi + 0.05).min(1.0))
        } else {
            let pad = (lo.abs() * 0.1).max(0.05);
            (lo - pad, hi + pad)
        }
    }
}

impl Figure for SweepChart {
    fn name(&self) -> String {
        "sweep".to_string()
    }

    fn title(&self) -> String {
        if self.has_casualties() {
            format!(
                "Unexploded submunitions and casualties against {}",
                self.against()
            )
        } else {
            format!("Unexploded submunitions against {}", self.against())
        }
    }

    fn caption(&self) -> String {
        format!(
            "{} is fixed at the value on the horizontal \
             axis; all else is as in the scenario file. Lines are means, bands \
             hold 90% of the {} replicates run at each value.{}{}",
            if self.every_dud_rate() {
                "Every munition's dud rate".to_string()
            } else {
                self.parameter.clone()
            },
            format::thousands(self.replicates as f64),
            if self.dud_rates {
                " The dashed line marks the 2.35% the US stated for its DPICM, the grey \
                 band the 30-40% reported for Russian cluster munitions in Ukraine."
            } else {
                ""
            },
            if self.coincide {
                " The scenarios differ only in their dud rates, so their curves coincide."
            } else {
                ""
            }
        )
    }

    fn size(&self, _format: Format) -> (u32, u32) {
        let height = if self.has_casualties() {
            layout::SWEEP_HEIGHT_TWO_PLOTS
        } else {
            layout::SWEEP_HEIGHT
        };
        (layout::PAGE_WIDTH, height)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        _format: Format,
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let subtitle = format!(
            "{} fixed in turn at each value; mean and 90% band of {} replicates per value.",
            if self.every_dud_rate() {
                "Every munition's dud rate".to_string()
            } else {
                self.parameter.clone()
            },
            format::thousands(self.replicates as f64)
        );
        let mut lines = vec![subtitle.as_str()];
        if self.coincide {
            lines.push(
                "The scenarios differ only in their dud rates, so with it fixed their curves coincide.",
            );
        }
        // Drawn for its files only: always wide.
        let body = style::header(root, Format::Wide, &self.title(), &lines, &self.legend())?;
        // Both plots share the horizontal axis: align them.
        let label_width = [&self.uxo, &self.casualties]
            .iter()
            .map(|series| super::y_label_width(&y_axis(series, String::new())))
            .max()
            .unwrap_or(90);
        let uxo = Plot {
            title: "Unexploded submunitions after the strikes".to_string(),
            y: y_axis(&self.uxo, "Unexploded submunitions".to_string()),
            series: &self.uxo,
        };
        if !self.has_casualties() {
            return self.draw_plot(root, body, &uxo, label_width);
        }
        let (top, bottom) = body.split_top(body.height() / 2);
        self.draw_plot(root, top, &uxo, label_width)?;
        let (unit, horizon) = (&self.step_unit, self.horizon);
        let casualties = Plot {
            title: format!("Casualties by {unit} {horizon} (cumulative)"),
            y: y_axis(&self.casualties, format!("Casualties by {unit} {horizon}")),
            series: &self.casualties,
        };
        self.draw_plot(root, bottom, &casualties, label_width)
    }
}

/// One of the sweep's plots.
struct Plot<'a> {
    title: String,
    y: Axis<'static>,
    series: &'a [Vec<Point>],
}

impl SweepChart {
    fn legend(&self) -> Vec<LegendItem> {
        let mut legend: Vec<LegendItem> = self
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| LegendItem::new(n, Swatch::LineOnBand(style::scenario_color(i))))
            .collect();
        if self.dud_rates {
            legend.push(LegendItem::new(
                "US-stated DPICM dud rate: below 2.35%",
                Swatch::Dashed(style::INK),
            ));
            legend.push(LegendItem::new(
                "reported for Russian cluster munitions: 30-40%",
                Swatch::Fill(style::MUTED, 0.22),
            ));
        }
        legend
    }

    /// A plot in `area` under its title: the reported figures, then each
    /// scenario's band, then their means.
    fn draw_plot<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        area: Rect,
        plot: &Plot<'_>,
        label_width: u32,
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let caption = Caption::new(area, layout::PAGE_MARGIN, 1, 0, layout::PANEL_CAPTION);
        root.draw(&Text::new(
            plot.title.clone(),
            caption.name_line(0),
            style::bold(style::PANEL_TITLE_SIZE, style::INK),
        ))?;
        let (lo, hi) = self.x_range();
        let x = Axis {
            range: lo..hi,
            ticks: style::linear_ticks(lo, hi, 10),
            desc: if self.every_dud_rate() {
                "Dud rate of every munition".to_string()
            } else {
                self.parameter.clone()
            },
            format: if self.dud_rates {
                &super::percent_tick
            } else {
                &super::number_tick
            },
        };
        let area = super::region(root, caption.plot);
        let mut chart = super::plot_aligned(&area, &x, &plot.y, label_width)?;
        if self.dud_rates {
            draw_reported(&mut chart, lo..hi, plot.y.range.end)?;
        }
        for (i, points) in plot.series.iter().enumerate() {
            if points.is_empty() {
                continue;
            }
            let band: Vec<(f64, f64)> = points
                .iter()
                .map(|p| (p.rate, p.p95))
                .chain(points.iter().rev().map(|p| (p.rate, p.p05)))
                .collect();
            let color = style::scenario_color(i).mix(0.15);
            chart.draw_series(std::iter::once(Polygon::new(band, color.filled())))?;
        }
        for (i, points) in plot.series.iter().enumerate() {
            let color = style::scenario_color(i);
            chart.draw_series(LineSeries::new(
                points.iter().map(|p| (p.rate, p.mean)),
                color.stroke_width(3),
            ))?;
            chart.draw_series(
                points
                    .iter()
                    .map(|p| Circle::new((p.rate, p.mean), 4, color.filled())),
            )?;
        }
        Ok(())
    }
}

/// The reported dud rates inside the swept `range`, on a plot `top` high:
/// the 30-40% band, clipped, and the 2.35% line.
fn draw_reported<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Coords>,
    range: std::ops::Range<f64>,
    top: f64,
) -> DrawResult<()>
where
    DB::ErrorType: 'static,
{
    let (lo, hi) = (range.start, range.end);
    let note = |h| style::anchored(style::text(style::NOTE_SIZE, style::INK), h, VPos::Top);
    let (band_lo, band_hi) = REPORTED_RUSSIAN;
    if band_hi >= lo && band_lo <= hi {
        chart.draw_series(std::iter::once(Rectangle::new(
            [(band_lo.max(lo), 0.0), (band_hi.min(hi), top)],
            style::MUTED.mix(0.22).filled(),
        )))?;
        let centre = (band_lo.max(lo) + band_hi.min(hi)) / 2.0;
        chart.draw_series(std::iter::once(Text::new(
            "30-40%".to_string(),
            (centre, top * 0.97),
            note(HPos::Center),
        )))?;
    }
    if (lo..=hi).contains(&US_CLAIM) {
        chart.draw_series(
            super::distribution::dashed(US_CLAIM, top)
                .into_iter()
                .map(|seg| PathElement::new(seg, style::INK.stroke_width(2))),
        )?;
        chart.draw_series(std::iter::once(Text::new(
            " 2.35%".to_string(),
            (US_CLAIM, top * 0.97),
            note(HPos::Left),
        )))?;
    }
    Ok(())
}

/// The vertical axis of `series`, described as `desc`.
fn y_axis(series: &[Vec<Point>], desc: String) -> Axis<'static> {
    let (top, ticks) = y_scale(series);
    Axis {
        range: 0.0..top,
        ticks,
        desc,
        format: &super::count_tick,
    }
}

/// The top of a vertical axis holding every band of `series`, and its ticks.
fn y_scale(series: &[Vec<Point>]) -> (f64, Vec<f64>) {
    let top = series
        .iter()
        .flatten()
        .map(|p| p.p95)
        .fold(0.0, f64::max)
        .max(1.0)
        * 1.08;
    (top, style::count_ticks(0.0, top, 5))
}
