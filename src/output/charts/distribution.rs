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

use super::layout::{self, Caption, Format, PANEL_CAPTION};
use super::style::{self, LegendItem, Swatch};
use super::{Axis, CaptionText, DrawResult, Figure};
use crate::format;
use crate::output::table::rounded_figures;
use crate::scenario::ScenarioFile;
use crate::stats::RunSummary;
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
    /// The mean and the 5th and 95th percentiles, in the unit shown.
    mean: f64,
    p05: f64,
    p95: f64,
    /// The same, rounded to what their precision supports.
    rounded: (f64, Option<(f64, f64)>),
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
            rounded: rounded_figures(&s.scaled(scale)),
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

    fn size(&self, format: Format) -> (u32, u32) {
        let n = self.panels.len() as u32;
        match format {
            Format::Wide => (
                layout::PAGE_WIDTH,
                layout::page_height(layout::HISTOGRAM_FIXED, layout::HISTOGRAM_ROW, n),
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
                let caption = self.caption_height(format, width as i32) as u32;
                (
                    width,
                    header + n * (caption + layout::NARROW_HISTOGRAM_PLOT),
                )
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
        let width = super::page(root).width();
        let captions = self.captions(format, width);
        let cells = layout::panels(body, self.panels.len(), 1);
        for (panel, cell) in self.panels.iter().zip(cells) {
            let caption = Caption::new(
                cell,
                format.margin(),
                captions.name_lines,
                captions.figure_lines,
                PANEL_CAPTION,
            );
            panel.draw(root, self.measure, &caption, &captions, format)?;
        }
        Ok(())
    }
}

/// How the panels' captions are set: name and figures on one line when
/// every panel's fit (wide charts), else each on lines of its own,
/// wrapped.
struct Captions {
    one_line: bool,
    name_lines: usize,
    figure_lines: usize,
    width: i32,
}

impl Histograms {
    fn legend() -> [LegendItem; 2] {
        [
            LegendItem::new("mean", Swatch::Line(style::INK)),
            LegendItem::new(
                "5th and 95th percentiles (90% of replicates between)",
                Swatch::Dashed(style::INK),
            ),
        ]
    }

    /// How the captions of a page `width` pixels wide are set.
    fn captions(&self, format: Format, width: i32) -> Captions {
        let name_style = style::bold(style::PANEL_TITLE_SIZE, style::INK);
        let stats_style = style::text(style::PANEL_TITLE_SIZE, style::INK);
        let one_line = format == Format::Wide
            && self.panels.iter().all(|p| {
                layout::fits_on_one_line(
                    width,
                    style::text_width(&name_style, &p.name),
                    style::text_width(&stats_style, &p.stats()),
                )
            });
        let room = width - 2 * format.margin();
        let most = |text: &dyn Fn(&Panel) -> String, style: &TextStyle<'_>, most: usize| {
            self.panels
                .iter()
                .map(|p| super::wrap(&text(p), style, room).len())
                .max()
                .unwrap_or(1)
                .clamp(1, most)
        };
        Captions {
            one_line,
            name_lines: if one_line {
                1
            } else {
                most(&|p| p.name.clone(), &name_style, 2)
            },
            figure_lines: if one_line {
                0
            } else {
                most(&|p| p.stats(), &stats_style, 3)
            },
            width: room,
        }
    }

    /// Height of a panel's caption on a page `width` pixels wide.
    fn caption_height(&self, format: Format, width: i32) -> i32 {
        let c = self.captions(format, width);
        PANEL_CAPTION.height(c.name_lines, c.figure_lines)
    }
}

impl Histograms {
    fn subtitle(&self) -> String {
        let replicates = format::thousands(self.replicates as f64);
        match self.measure {
            Measure::Unexploded => format!(
                "Share of {replicates} replicates per bar. Each panel has its own horizontal scale."
            ),
            Measure::ContaminatedArea => format!(
                "Area of the map cells holding at least one UXO. Share of {replicates} replicates \
                 per bar; each panel has its own horizontal scale."
            ),
        }
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

    /// The figures shown beside the scenario's name, rounded to what
    /// their precision supports.
    fn stats(&self) -> String {
        match self.rounded {
            (mean, Some((p05, p95))) if !self.constant => format!(
                "mean {}; 90% of replicates between {} and {}",
                self.value(mean),
                self.value(p05),
                self.value(p95)
            ),
            (mean, _) => format!("every replicate: {}", self.value(mean)),
        }
    }

    /// Where bar `start` begins and how wide bars are, in the panel's
    /// unit: bins of one are centred on their value, wider bins span
    /// `[start, start + width)`.
    fn bar_span(&self, start: u64) -> (f64, f64) {
        let start = start as f64 * self.scale;
        (
            start + self.shift(),
            start + self.bar_width() + self.shift(),
        )
    }

    /// Width of a bar in the panel's unit.
    fn bar_width(&self) -> f64 {
        self.bins.width as f64 * self.scale
    }

    /// How far bars sit left of their bins' starts.
    fn shift(&self) -> f64 {
        if self.bins.width == 1 {
            -0.5 * self.scale
        } else {
            0.0
        }
    }

    /// Share of the replicates in a bin of `count` of them.
    fn share(&self, count: f64) -> f64 {
        count / self.replicates.max(1) as f64
    }

    /// The axes: the bars with some room, and the shares up to above the
    /// highest bar.
    fn axes(&self, measure: Measure, format: Format) -> (Axis<'static>, Axis<'static>) {
        let bins = &self.bins.bins;
        let k = self.scale;
        let x_lo = bins.first().map_or(0.0, |b| b.0 as f64 * k) + self.shift();
        let x_hi = bins.last().map_or(k, |b| b.0 as f64 * k + self.bar_width()) + self.shift();
        let pad = ((x_hi - x_lo) * 0.03).max(if self.bins.width == 1 { 0.5 * k } else { 0.0 });
        let top = bins
            .iter()
            .map(|b| self.share(b.1))
            .fold(0.0, f64::max)
            .max(1e-9)
            * 1.12;
        let range = (x_lo - pad)..(x_hi + pad);
        let width = self.bar_width();
        let ticks = format.x_ticks(8);
        let narrow = format == Format::Narrow;
        let x = match measure {
            Measure::Unexploded => Axis {
                ticks: style::count_ticks(range.start, range.end, ticks),
                range,
                desc: match (self.bins.width, narrow) {
                    (1, false) => "Unexploded submunitions (UXO)".to_string(),
                    (1, true) => "UXO".to_string(),
                    (_, false) => format!(
                        "Unexploded submunitions (UXO), bars {} wide",
                        format::number(width)
                    ),
                    (_, true) => format!("UXO, bars {} wide", format::number(width)),
                },
                format: &super::count_tick,
            },
            Measure::ContaminatedArea => Axis {
                ticks: style::linear_ticks(range.start.max(0.0), range.end, ticks),
                range,
                desc: if narrow {
                    format!("km², bars {} wide", format::three_significant(width))
                } else {
                    format!(
                        "Contaminated area (km²), bars {} km² wide",
                        format::three_significant(width)
                    )
                },
                format: &area_tick,
            },
        };
        let y = Axis {
            range: 0.0..top,
            ticks: style::linear_ticks(0.0, top, 4),
            desc: "Share of replicates".to_string(),
            format: &super::percent_tick,
        };
        (x, y)
    }

    /// The panel: its name and figures in `caption`, the histogram with
    /// the mean and the 5th and 95th percentiles under it.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        measure: Measure,
        caption: &Caption,
        captions: &Captions,
        format: Format,
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let name_style = style::bold(style::PANEL_TITLE_SIZE, self.color);
        let stats_style = style::text(style::PANEL_TITLE_SIZE, style::INK);
        if captions.one_line {
            let name_at = caption.name_line(0);
            root.draw(&Text::new(self.name.clone(), name_at, name_style.clone()))?;
            let name_width = style::text_width(&name_style, &self.name);
            let stats_at = (name_at.0 + name_width + layout::NAME_GAP, name_at.1);
            root.draw(&Text::new(self.stats(), stats_at, stats_style))?;
        } else {
            let stats = self.stats();
            let text = CaptionText {
                name: (&self.name, name_style, captions.name_lines),
                note: (&stats, stats_style, captions.figure_lines),
                width: captions.width,
            };
            super::draw_caption(root, caption, &text)?;
        }

        let (x, y) = self.axes(measure, format);
        let top = y.range.end;
        let area = super::region(root, caption.plot);
        let mut chart = super::plot(&area, &x, &y)?;
        chart.draw_series(self.bins.bins.iter().map(|&(start, count)| {
            let (x0, x1) = self.bar_span(start);
            Rectangle::new(
                [(x0, 0.0), (x1, self.share(count))],
                self.color.mix(0.75).filled(),
            )
        }))?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(self.mean, 0.0), (self.mean, top)],
            style::INK.stroke_width(2),
        )))?;
        for q in [self.p05, self.p95] {
            chart.draw_series(
                dashed(q, top)
                    .into_iter()
                    .map(|seg| PathElement::new(seg, style::INK.stroke_width(2))),
            )?;
        }
        Ok(())
    }
}

/// Tick labels: an area in km².
fn area_tick(v: &f64) -> String {
    format::three_significant(*v)
}

/// A vertical dashed line at `x` from 0 to `top`, as segments.
pub fn dashed(x: f64, top: f64) -> Vec<Vec<(f64, f64)>> {
    let dash = top / 40.0;
    (0..40)
        .step_by(2)
        .map(|k| vec![(x, k as f64 * dash), (x, (k as f64 + 1.0) * dash)])
        .collect()
}

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

    fn size(&self, format: Format) -> (u32, u32) {
        match format {
            Format::Wide => (layout::PAGE_WIDTH, layout::MIN_PAGE_HEIGHT),
            Format::Narrow => {
                let width = format.page_width(layout::PAGE_WIDTH);
                let subtitle = self.subtitle();
                let lines: Vec<&str> = subtitle.iter().map(String::as_str).collect();
                let header =
                    style::header_height(format, width, &self.title(), &lines, &self.legend());
                (width, header + layout::NARROW_PLOT_HEIGHT + 60)
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
        let body = style::header(root, format, &self.title(), &lines, &self.legend())?;
        let body = super::region(root, body);

        let (x, to_x) = self.x_axis(format);
        let y = Axis {
            range: 0.0..1.02,
            ticks: style::linear_ticks(0.0, 1.0, 10),
            desc: "Probability of more than x".to_string(),
            format: &super::percent_tick,
        };
        let mut chart = super::plot(&body, &x, &y)?;
        let (start, end) = (x.range.start, x.range.end);
        for (i, (_, points)) in self.curves.iter().enumerate() {
            let line = std::iter::once((start, 1.0))
                .chain(
                    points
                        .iter()
                        .map(|&(v, p)| (to_x(v.max(1e-300)).max(start), p)),
                )
                .chain([(end, 0.0)]);
            let color = style::scenario_color(i);
            chart.draw_series(LineSeries::new(line, color.stroke_width(3)))?;
        }
        Ok(())
    }
}

impl Exceedance {
    fn subtitle(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "P(UXO > x): share of {} replicates with more than x unexploded submunitions.",
            format::thousands(self.replicates as f64)
        )];
        if self.log_scale() {
            lines
                .push("Horizontal axis on a log scale, so every scenario is readable.".to_string());
        }
        lines
    }

    fn legend(&self) -> Vec<LegendItem> {
        self.curves
            .iter()
            .enumerate()
            .map(|(i, (name, _))| LegendItem::new(name, Swatch::Line(style::scenario_color(i))))
            .collect()
    }

    /// The horizontal axis, and the map from a number of UXO to it: a log
    /// axis with ticks 1, 2 and 5 times powers of ten, or a linear one
    /// with some room on either side.
    fn x_axis(&self, format: Format) -> (Axis<'static>, fn(f64) -> f64) {
        let narrow = format == Format::Narrow;
        if self.log_scale() {
            let lo = (self.lo.max(1) as f64 * 0.7).max(0.5);
            let hi = self.hi as f64 * 1.4;
            let ticks = if narrow {
                style::log_ticks_at_most(lo, hi, 5)
            } else {
                style::log_ticks(lo, hi)
            };
            let axis = Axis {
                range: lo.log10()..hi.log10(),
                ticks: ticks.into_iter().map(f64::log10).collect(),
                desc: if narrow {
                    "UXO after the strikes, x (log scale)"
                } else {
                    "Unexploded submunitions after the strikes, x (log scale)"
                }
                .to_string(),
                format: &|v: &f64| format::number(10f64.powf(*v)),
            };
            (axis, f64::log10)
        } else {
            let pad = ((self.hi - self.lo) as f64 * 0.05).max(1.0);
            let lo = (self.lo as f64 - pad).max(0.0);
            let hi = self.hi as f64 + pad;
            let axis = Axis {
                range: lo..hi,
                ticks: style::count_ticks(lo, hi, format.x_ticks(8)),
                desc: if narrow {
                    "UXO after the strikes, x"
                } else {
                    "Unexploded submunitions after the strikes, x"
                }
                .to_string(),
                format: &super::count_tick,
            };
            (axis, |v| v)
        }
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
