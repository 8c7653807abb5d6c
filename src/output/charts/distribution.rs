//! Charts of the initial number of unexploded submunitions (U₀): one
//! histogram per scenario (small multiples, each on its own scale, since
//! scenarios can differ thirtyfold) and one exceedance curve P(UXO > x)
//! with every scenario on a log axis; and the same histograms of the
//! contaminated area, for scenarios with an area.
//!
//! All are drawn from the accumulators' histograms, whose buckets are at
//! most 0.8% of their value wide and never wider than a histogram bar.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{self, LegendItem, Swatch};
use super::{Axis, DrawResult, Figure};
use crate::format;
use crate::output::summary::RunSummary;
use crate::scenario::ScenarioFile;
use crate::stats::{Accumulator, RunStats};

/// Bars aimed for in a histogram panel.
const TARGET_BINS: u64 = 40;

/// Histogram bins of equal width: `(start, count)`, with counts shared out
/// from the accumulator's buckets (never wider than a bin) in proportion
/// to their overlap (values are taken as spread evenly over
/// a bucket).
#[derive(Debug, Clone, PartialEq)]
pub struct Bins {
    /// Width of every bin, a whole number 1, 2 or 5 times a power of ten.
    pub width: u64,
    /// Bin start and the (fractional) number of replicates in it.
    pub bins: Vec<(u64, f64)>,
}

/// Rebins an accumulator's histogram into about `TARGET_BINS` equal bins
/// between its smallest and largest value.
pub fn rebin(acc: &Accumulator) -> Bins {
    let (min, max) = (acc.min(), acc.max());
    // ⌈(max − min + 1) / TARGET_BINS⌉, without overflow at u64::MAX.
    let raw = (max - min) / TARGET_BINS + 1;
    let width = nice_width(raw);
    let start = min / width * width;
    let count = ((max - start) / width + 1) as usize;
    let mut bins: Vec<(u64, f64)> = (0..count)
        .map(|i| (start + i as u64 * width, 0.0))
        .collect();
    for (lo, hi, n) in acc.histogram().buckets() {
        // The bucket's values, clamped to what was seen, as [a, b]
        // (inclusive, so that nothing overflows at u64::MAX).
        let (a, b) = (lo.max(min), hi.min(max));
        if a > b {
            continue;
        }
        let span = (b - a) as f64 + 1.0;
        let first = ((a - start) / width) as usize;
        let last = ((b - start) / width) as usize;
        for (i, bin) in bins.iter_mut().enumerate().take(last + 1).skip(first) {
            let bin_lo = start + i as u64 * width;
            let bin_hi = bin_lo.saturating_add(width - 1);
            let overlap = (b.min(bin_hi) - a.max(bin_lo)) as f64 + 1.0;
            bin.1 += n as f64 * overlap / span;
        }
    }
    Bins { width, bins }
}

/// The smallest of 1, 2, 5, 10, 20, ... at least `raw`.
fn nice_width(raw: u64) -> u64 {
    let mut power = 1u64;
    loop {
        for m in [1, 2, 5] {
            if m * power >= raw {
                return m * power;
            }
        }
        power *= 10;
    }
}

/// What a histogram chart counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Unexploded submunitions after the strikes.
    Unexploded,
    /// Contaminated area (the area of the cells with at least one UXO), in km².
    ContaminatedArea,
}

struct Panel {
    name: String,
    color: RGBColor,
    /// Bins of the accumulator's counts (UXO, or contaminated area units).
    bins: Bins,
    /// What one count is in the unit shown (1, or an area unit in km²).
    scale: f64,
    replicates: u64,
    /// Every replicate gave the same number.
    constant: bool,
    mean: f64,
    p05: f64,
    p95: f64,
}

/// Small multiples: the distribution of initial UXO (or of the
/// contaminated area), one panel per scenario (with an area).
pub struct Histograms {
    measure: Measure,
    replicates: u64,
    panels: Vec<Panel>,
}

impl Histograms {
    /// The distribution of initial UXO, one panel per scenario.
    pub fn new(summary: &RunSummary, stats: &RunStats) -> Self {
        let panels = summary
            .scenarios
            .iter()
            .zip(&stats.scenarios)
            .enumerate()
            .map(|(i, (s, st))| Panel::new(i, &s.name, &st.unexploded, 1.0))
            .collect();
        Histograms {
            measure: Measure::Unexploded,
            replicates: summary.replicates,
            panels,
        }
    }

    /// The distribution of the contaminated area, one panel per scenario
    /// with an area; `None` when no scenario has one.
    pub fn contaminated_area(
        file: &ScenarioFile,
        summary: &RunSummary,
        stats: &RunStats,
    ) -> Option<Self> {
        let panels: Vec<Panel> = file
            .scenarios
            .iter()
            .zip(&stats.scenarios)
            .enumerate()
            .filter_map(|(i, (s, st))| {
                let grid = st.grid.as_ref()?;
                let km2 = grid.areas.unit_m2() / 1e6;
                Some(Panel::new(i, &s.name, &grid.contaminated_area, km2))
            })
            .collect();
        (!panels.is_empty()).then_some(Histograms {
            measure: Measure::ContaminatedArea,
            replicates: summary.replicates,
            panels,
        })
    }
}

impl Panel {
    /// Scenario `index`'s panel of `acc`, one count being `scale` units.
    fn new(index: usize, name: &str, acc: &Accumulator, scale: f64) -> Self {
        let s = acc.summary();
        Panel {
            name: name.to_string(),
            color: style::scenario_color(index),
            bins: rebin(acc),
            scale,
            replicates: acc.count(),
            constant: acc.min() == acc.max(),
            mean: s.mean * scale,
            p05: s.p05 * scale,
            p95: s.p95 * scale,
        }
    }
}

impl Figure for Histograms {
    fn name(&self) -> String {
        match self.measure {
            Measure::Unexploded => "uxo-distribution",
            Measure::ContaminatedArea => "contaminated-area",
        }
        .to_string()
    }

    fn title(&self) -> String {
        match self.measure {
            Measure::Unexploded => "How many submunitions are left unexploded after the strikes",
            Measure::ContaminatedArea => "How much land the unexploded submunitions contaminate",
        }
        .to_string()
    }

    fn caption(&self) -> String {
        let what = match self.measure {
            Measure::Unexploded => "left that many unexploded submunitions (UXO)",
            Measure::ContaminatedArea => {
                "left that much land contaminated: the area of the map cells holding \
                 at least one unexploded submunition (UXO), in km²"
            }
        };
        format!(
            "Each bar shows the share of the {} replicates that {what}. Each \
             scenario has its own panel and horizontal scale; the solid line \
             marks the mean, the dashed lines the 5th and 95th percentiles.",
            format::thousands(self.replicates as f64)
        )
    }

    fn size(&self) -> (u32, u32) {
        (1200, (190 + 300 * self.panels.len() as u32).max(800))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let subtitle = match self.measure {
            Measure::Unexploded => format!(
                "Share of {} replicates per bar. Each panel has its own horizontal scale.",
                format::thousands(self.replicates as f64)
            ),
            Measure::ContaminatedArea => format!(
                "Area of the map cells holding at least one UXO. Share of {} replicates \
                 per bar; each panel has its own horizontal scale.",
                format::thousands(self.replicates as f64)
            ),
        };
        let body = super::region(
            root,
            style::header(
                root,
                &self.title(),
                &[&subtitle],
                &[
                    LegendItem::new("mean", Swatch::Line(style::INK)),
                    LegendItem::new(
                        "5th and 95th percentiles (90% of replicates between)",
                        Swatch::Dashed(style::INK),
                    ),
                ],
            )?,
        );
        let rows = body.split_evenly((self.panels.len().max(1), 1));
        // Name and figures on one line when every panel's fit, else on two.
        let name_style = style::bold(style::PANEL_TITLE_SIZE, style::INK);
        let stats_style = style::text(style::PANEL_TITLE_SIZE, style::INK);
        let (width, _) = root.dim_in_pixel();
        let one_line = self.panels.iter().all(|p| {
            style::text_width(&name_style, &p.name)
                + 14
                + style::text_width(&stats_style, &p.stats())
                <= width as i32 - 48
        });
        for (panel, area) in self.panels.iter().zip(&rows) {
            draw_histogram(panel, self.measure, area, one_line)?;
        }
        Ok(())
    }
}

impl Panel {
    /// A value in the panel's unit, as text.
    fn value(&self, v: f64) -> String {
        if self.scale == 1.0 {
            format::number(v)
        } else {
            format!("{} km²", format::three_significant(v))
        }
    }

    /// The figures shown beside the scenario's name.
    fn stats(&self) -> String {
        if self.constant {
            return format!("every replicate: {}", self.value(self.mean));
        }
        format!(
            "mean {}; 90% of replicates between {} and {}",
            self.value(self.mean),
            self.value(self.p05),
            self.value(self.p95)
        )
    }
}

fn draw_histogram<DB: DrawingBackend>(
    panel: &Panel,
    measure: Measure,
    area: &DrawingArea<DB, Shift>,
    one_line: bool,
) -> DrawResult<()>
where
    DB::ErrorType: 'static,
{
    let (caption, plot_area) = area.split_vertically(if one_line { 30 } else { 54 });
    let name_style = style::bold(style::PANEL_TITLE_SIZE, panel.color);
    caption.draw(&Text::new(panel.name.clone(), (24, 6), name_style.clone()))?;
    let at = if one_line {
        (24 + style::text_width(&name_style, &panel.name) + 14, 6)
    } else {
        (24, 30)
    };
    caption.draw(&Text::new(
        panel.stats(),
        at,
        style::text(style::PANEL_TITLE_SIZE, style::INK),
    ))?;

    // Bins of one are centred on their value; wider bins span
    // [start, start + width). Positions are in the panel's unit.
    let k = panel.scale;
    let width = panel.bins.width as f64 * k;
    let shift = if panel.bins.width == 1 { -0.5 * k } else { 0.0 };
    let x_lo = panel.bins.bins.first().map_or(0.0, |b| b.0 as f64 * k) + shift;
    let x_hi = panel.bins.bins.last().map_or(k, |b| b.0 as f64 * k + width) + shift;
    let pad = ((x_hi - x_lo) * 0.03).max(if panel.bins.width == 1 { 0.5 * k } else { 0.0 });
    let n = panel.replicates.max(1) as f64;
    let top = panel
        .bins
        .bins
        .iter()
        .map(|b| b.1 / n)
        .fold(0.0, f64::max)
        .max(1e-9)
        * 1.12;
    let x_range = (x_lo - pad)..(x_hi + pad);
    let percent = |v: &f64| format::short_percent(*v);
    let count = |v: &f64| format::number(*v);
    let km2 = |v: &f64| format::three_significant(*v);
    let x = match measure {
        Measure::Unexploded => Axis {
            ticks: style::count_ticks(x_range.start, x_range.end, 8),
            range: x_range,
            desc: if panel.bins.width == 1 {
                "Unexploded submunitions (UXO)".to_string()
            } else {
                format!(
                    "Unexploded submunitions (UXO), bars {} wide",
                    format::number(width)
                )
            },
            format: &count,
        },
        Measure::ContaminatedArea => Axis {
            ticks: style::linear_ticks(x_range.start.max(0.0), x_range.end, 8),
            range: x_range,
            desc: format!(
                "Contaminated area (km²), bars {} km² wide",
                format::three_significant(width)
            ),
            format: &km2,
        },
    };
    let y = Axis {
        range: 0.0..top,
        ticks: style::linear_ticks(0.0, top, 4),
        desc: "Share of replicates".to_string(),
        format: &percent,
    };
    let mut chart = super::plot(&plot_area, &x, &y)?;
    chart.draw_series(panel.bins.bins.iter().map(|&(lo, c)| {
        Rectangle::new(
            [
                (lo as f64 * k + shift, 0.0),
                (lo as f64 * k + width + shift, c / n),
            ],
            panel.color.mix(0.75).filled(),
        )
    }))?;
    let vertical = |x: f64| vec![(x, 0.0), (x, top)];
    chart.draw_series(std::iter::once(PathElement::new(
        vertical(panel.mean),
        style::INK.stroke_width(2),
    )))?;
    for q in [panel.p05, panel.p95] {
        let dashes = dashed(q, top);
        chart.draw_series(
            dashes
                .into_iter()
                .map(|seg| PathElement::new(seg, style::INK.stroke_width(2))),
        )?;
    }
    Ok(())
}

/// A vertical dashed line at `x` from 0 to `top`, as segments.
pub fn dashed(x: f64, top: f64) -> Vec<Vec<(f64, f64)>> {
    let dash = top / 40.0;
    (0..40)
        .step_by(2)
        .map(|k| vec![(x, k as f64 * dash), (x, (k as f64 + 1.0) * dash)])
        .collect()
}

/// A horizontal axis: its range, ticks, and the map from a value to it.
type AxisSetup = (std::ops::Range<f64>, Vec<f64>, fn(f64) -> f64);

/// P(UXO > x) against x, every scenario on one chart.
pub struct Exceedance {
    replicates: u64,
    curves: Vec<(String, Vec<(f64, f64)>)>,
    /// Smallest and largest value seen over all scenarios.
    lo: u64,
    hi: u64,
}

/// The exceedance curve of an accumulator: points `(x, P(X > x))` at the
/// top of each histogram bucket, starting at `(min, 1)`.
pub fn exceedance(acc: &Accumulator) -> Vec<(f64, f64)> {
    let n = acc.count();
    if n == 0 {
        return Vec::new();
    }
    let mut above = n;
    let mut points = vec![(acc.min() as f64, 1.0)];
    for (_, hi, count) in acc.histogram().buckets() {
        above -= count;
        points.push((hi.min(acc.max()) as f64, above as f64 / n as f64));
    }
    points
}

impl Exceedance {
    pub fn new(summary: &RunSummary, stats: &RunStats) -> Self {
        let curves = summary
            .scenarios
            .iter()
            .zip(&stats.scenarios)
            .map(|(s, st)| (s.name.clone(), exceedance(&st.unexploded)))
            .collect();
        let lo = stats
            .scenarios
            .iter()
            .map(|s| s.unexploded.min())
            .min()
            .unwrap_or(0);
        let hi = stats
            .scenarios
            .iter()
            .map(|s| s.unexploded.max())
            .max()
            .unwrap_or(0);
        Exceedance {
            replicates: summary.replicates,
            curves,
            lo,
            hi,
        }
    }

    /// A log axis when the values span more than a factor of 5.
    fn log_scale(&self) -> bool {
        self.hi >= 10 && self.hi as f64 > 5.0 * self.lo.max(1) as f64
    }
}

impl Figure for Exceedance {
    fn name(&self) -> String {
        "uxo-exceedance".to_string()
    }

    fn title(&self) -> String {
        "Chance of more than x submunitions left unexploded".to_string()
    }

    fn caption(&self) -> String {
        format!(
            "For each number x on the horizontal axis, the share of the {} \
             replicates that left more than x unexploded submunitions. Read \
             across at 50% for the median, at 5% for a bad case.{}",
            format::thousands(self.replicates as f64),
            if self.log_scale() {
                " The horizontal axis is logarithmic: each step to the right multiplies x."
            } else {
                ""
            }
        )
    }

    fn size(&self) -> (u32, u32) {
        (1200, 800)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let log = self.log_scale();
        let subtitle = format!(
            "P(UXO > x): share of {} replicates with more than x unexploded submunitions.",
            format::thousands(self.replicates as f64)
        );
        let scale_note = "Horizontal axis on a log scale, so every scenario is readable.";
        let mut lines = vec![subtitle.as_str()];
        if log {
            lines.push(scale_note);
        }
        let legend: Vec<LegendItem> = self
            .curves
            .iter()
            .enumerate()
            .map(|(i, (name, _))| LegendItem::new(name, Swatch::Line(style::scenario_color(i))))
            .collect();
        let body = super::region(root, style::header(root, &self.title(), &lines, &legend)?);

        let (x_range, ticks, to_x): AxisSetup = if log {
            let lo = (self.lo.max(1) as f64 * 0.7).max(0.5);
            let hi = self.hi as f64 * 1.4;
            let ticks = style::log_ticks(lo, hi)
                .into_iter()
                .map(f64::log10)
                .collect();
            (lo.log10()..hi.log10(), ticks, f64::log10)
        } else {
            let pad = ((self.hi - self.lo) as f64 * 0.05).max(1.0);
            let lo = (self.lo as f64 - pad).max(0.0);
            let hi = self.hi as f64 + pad;
            (lo..hi, style::count_ticks(lo, hi, 8), |v| v)
        };
        let format_log = |v: &f64| format::number(10f64.powf(*v));
        let format_linear = |v: &f64| format::number(*v);
        let percent = |v: &f64| format::short_percent(*v);
        let x = Axis {
            range: x_range.clone(),
            ticks,
            desc: if log {
                "Unexploded submunitions after the strikes, x (log scale)".to_string()
            } else {
                "Unexploded submunitions after the strikes, x".to_string()
            },
            format: if log { &format_log } else { &format_linear },
        };
        let y = Axis {
            range: 0.0..1.02,
            ticks: style::linear_ticks(0.0, 1.0, 10),
            desc: "Probability of more than x".to_string(),
            format: &percent,
        };
        let mut chart = super::plot(&body, &x, &y)?;
        for (i, (_, points)) in self.curves.iter().enumerate() {
            let color = style::scenario_color(i);
            let mut line: Vec<(f64, f64)> = Vec::with_capacity(points.len() + 2);
            line.push((x_range.start, 1.0));
            line.extend(
                points
                    .iter()
                    .map(|&(v, p)| (to_x(v.max(1e-300)).max(x_range.start), p)),
            );
            line.push((x_range.end, 0.0));
            chart.draw_series(LineSeries::new(line, color.stroke_width(3)))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc(values: impl IntoIterator<Item = u64>) -> Accumulator {
        let mut a = Accumulator::default();
        values.into_iter().for_each(|v| a.record(v));
        a
    }

    #[test]
    fn rebinning_keeps_every_replicate() {
        let a = acc((0..10_000u64).map(|i| 20_000 + (i * 7919) % 9_000));
        let bins = rebin(&a);
        let total: f64 = bins.bins.iter().map(|b| b.1).sum();
        assert!((total - 10_000.0).abs() < 1e-6, "{total}");
        assert_eq!(bins.width, 500);
        assert!(bins.bins.len() <= 2 * TARGET_BINS as usize);
    }

    #[test]
    fn rebinning_reaches_the_top_of_the_integers() {
        let a = acc([0, u64::MAX / 2, u64::MAX, u64::MAX]);
        let bins = rebin(&a);
        let total: f64 = bins.bins.iter().map(|b| b.1).sum();
        assert!((total - 4.0).abs() < 1e-9, "{total}");
        assert!(bins.bins.len() <= 2 * TARGET_BINS as usize);
    }

    #[test]
    fn small_counts_get_bins_of_one() {
        let a = acc([3, 3, 4, 7]);
        let bins = rebin(&a);
        assert_eq!(bins.width, 1);
        assert_eq!(
            bins.bins,
            vec![(3, 2.0), (4, 1.0), (5, 0.0), (6, 0.0), (7, 1.0)]
        );
    }

    #[test]
    fn exceedance_falls_from_one_to_zero() {
        let a = acc([3, 3, 4, 7]);
        assert_eq!(
            exceedance(&a),
            vec![(3.0, 1.0), (3.0, 0.5), (4.0, 0.25), (7.0, 0.0)]
        );
    }
}
