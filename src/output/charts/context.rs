//! Numbers of unexploded submunitions on one log scale, one row each:
//!
//! - [`LogRows::context`] (`context.png`, every run): each scenario's
//!   expected UXO with its 90% interval among the published estimates of
//!   past campaigns, so that a reader sees whether a barrage is
//!   Kosovo-sized or Lebanon-sized;
//! - [`LogRows::validation`] (`validate.png`, `dudsim validate`): each
//!   campaign's simulated 90% interval and median beside its published
//!   estimate.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::layout::{self, Format, Rect};
use super::style::{self, LegendItem, Swatch};
use super::{Axis, Coords, DrawResult, Figure};
use crate::analysis::validate::{PUBLISHED, Validation};
use crate::format;
use crate::output::table::rounded_figures;
use crate::stats::RunSummary;

/// Colour of the simulated intervals of the validation chart.
const SIMULATED: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Colour of notes that call for attention.
const WARNING: RGBColor = RGBColor(0xB0, 0x4A, 0x00);
/// Behind every other row.
const SHADE: RGBColor = RGBColor(0xF4, 0xF4, 0xF4);
/// Grid lines between the powers of ten.
const GRID_MINOR: RGBColor = RGBColor(0xEA, 0xEA, 0xEA);

/// One row: a label, notes and what is drawn on the log axis.
#[derive(Debug, Clone)]
struct Row {
    label: String,
    /// Colour of the label and of the interval.
    color: RGBColor,
    /// Lines under the label, each with its colour.
    notes: Vec<(String, RGBColor)>,
    /// A 90% interval `(p05, p95)`.
    interval: Option<(f64, f64)>,
    /// A mean or median on the interval.
    center: Option<f64>,
    /// A published estimate.
    published: Option<f64>,
}

/// A chart of rows on one logarithmic axis of counts.
pub struct LogRows {
    name: String,
    title: String,
    caption: String,
    subtitle: Vec<String>,
    legend: Vec<LegendItem>,
    x_desc: String,
    rows: Vec<Row>,
}

impl LogRows {
    /// Every scenario of a run among the past campaigns, largest on top.
    pub fn context(summary: &RunSummary) -> Self {
        let mut rows: Vec<(f64, Row)> = PUBLISHED
            .iter()
            .map(|p| {
                (
                    p.unexploded,
                    Row {
                        label: p.campaign.to_string(),
                        color: style::INK,
                        notes: vec![(
                            format!("published estimate: {}", format::compact(p.unexploded)),
                            style::MUTED,
                        )],
                        interval: None,
                        center: None,
                        published: Some(p.unexploded),
                    },
                )
            })
            .collect();
        for (i, s) in summary.scenarios.iter().enumerate() {
            let u = &s.unexploded;
            let figures = match rounded_figures(u) {
                (mean, None) => format!("this run: {} in every replicate", format::compact(mean)),
                (mean, Some((p05, p95))) => format!(
                    "this run: mean {}, 90% {}",
                    format::compact(mean),
                    format::range(&format::compact(p05), &format::compact(p95))
                ),
            };
            let mut notes = vec![(figures, style::INK)];
            if let Some(size) = nearest_campaign(u.mean) {
                notes.push((format!("size: {size}"), style::INK));
            }
            rows.push((
                u.mean,
                Row {
                    label: s.name.clone(),
                    color: style::scenario_color(i),
                    notes,
                    interval: (u.min != u.max).then_some((u.p05, u.p95)),
                    center: Some(u.mean),
                    published: None,
                },
            ));
        }
        // Largest on top; a scenario above a campaign of the same size.
        rows.sort_by(|a, b| b.0.total_cmp(&a.0));
        LogRows {
            name: "context".to_string(),
            title: "This run beside past cluster munition campaigns".to_string(),
            caption: format!(
                "Unexploded submunitions (UXO) left by each scenario of this run \
                 (the dot is the mean of {} replicates, the bar holds the middle 90% \
                 of them) beside the published estimates of UXO left by past \
                 campaigns (diamonds), on one logarithmic scale: each step to the \
                 right is ten times more. A past campaign is a whole war of many \
                 strikes; its estimate is itself uncertain (see `dudsim validate`).",
                format::thousands(summary.replicates as f64)
            ),
            subtitle: vec![
                "Unexploded submunitions after the strikes, largest on top. Log scale: each \
                 step to the right is ten times more."
                    .to_string(),
            ],
            legend: vec![
                LegendItem::new(
                    "scenario of this run: mean and 90% interval",
                    Swatch::TickOnBar(style::MUTED),
                ),
                LegendItem::new(
                    "past campaign: published estimate",
                    Swatch::Diamond(style::INK),
                ),
            ],
            x_desc: "Unexploded submunitions (log scale)".to_string(),
            rows: rows.into_iter().map(|(_, r)| r).collect(),
        }
    }

    /// The simulated intervals of the historical campaigns beside their
    /// published estimates.
    pub fn validation(rows: &[Validation], replicates: u64) -> Self {
        let rows = rows
            .iter()
            .map(|v| {
                let mut notes = vec![
                    (
                        format!("published: {}", v.published.unexploded_text),
                        style::INK,
                    ),
                    (
                        format!(
                            "simulated: {} (median {})",
                            format::range(
                                &format::rounded_compact(v.p05, v.uncertainty(0.05, v.p05)),
                                &format::rounded_compact(v.p95, v.uncertainty(0.95, v.p95))
                            ),
                            format::rounded_compact(v.p50, v.uncertainty(0.5, v.p50))
                        ),
                        style::INK,
                    ),
                    (
                        format!("submunitions used: {}", v.published.submunitions),
                        style::MUTED,
                    ),
                ];
                if !v.covered {
                    notes.push((
                        "published estimate outside the simulated interval".to_string(),
                        WARNING,
                    ));
                }
                Row {
                    label: v.published.campaign.to_string(),
                    color: style::INK,
                    notes,
                    interval: Some((v.p05, v.p95)),
                    center: Some(v.p50),
                    published: Some(v.published.unexploded),
                }
            })
            .collect();
        LogRows {
            name: "validate".to_string(),
            title: "Past campaigns: simulated and published unexploded submunitions".to_string(),
            caption: format!(
                "For each historical campaign, the unexploded submunitions (UXO) \
                 dudsim simulates from the published figures of submunitions used \
                 and failure rates (bar: middle 90% of {} replicates; dot: median), \
                 beside the published estimate of UXO (diamond), on a logarithmic \
                 scale: each step to the right is ten times more. The published \
                 estimates were derived from such figures, so this checks the \
                 arithmetic of the inputs, not an independent field truth.",
                format::thousands(replicates as f64)
            ),
            subtitle: vec![format!(
                "Simulated from the published figures of submunitions used and failure rates, \
                 {} replicates per campaign. Log scale.",
                format::thousands(replicates as f64)
            )],
            legend: vec![
                LegendItem::new("simulated 90% interval", Swatch::Fill(SIMULATED, 0.55)),
                LegendItem::new("simulated median", Swatch::TickOnBar(SIMULATED)),
                LegendItem::new("published estimate", Swatch::Diamond(style::INK)),
            ],
            x_desc: "Unexploded submunitions (log scale)".to_string(),
            rows,
        }
    }

    /// The range of the axis, as powers of ten: from a whole one.
    fn decades(&self) -> (f64, f64) {
        let values: Vec<f64> = self
            .rows
            .iter()
            .flat_map(|r| {
                let (a, b) = r.interval.unzip();
                [a, b, r.center, r.published]
            })
            .flatten()
            .filter(|v| *v > 0.0 && v.is_finite())
            .collect();
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(0.0, f64::max);
        if values.is_empty() {
            return (0.0, 1.0);
        }
        let lo = (lo / 1.5).log10().floor();
        // Room right of the largest value, but no empty decade.
        let hi = (hi * 2.5).log10().max(lo + 1.0);
        (lo, hi)
    }
}

/// How a number of UXO compares with the nearest published estimate (on
/// a log scale): "about 0.84 × Kosovo 1999".
fn nearest_campaign(uxo: f64) -> Option<String> {
    if uxo.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return None;
    }
    let nearest = PUBLISHED.iter().min_by(|a, b| {
        let d = |p: f64| (uxo / p).ln().abs();
        d(a.unexploded).total_cmp(&d(b.unexploded))
    })?;
    let ratio = uxo / nearest.unexploded;
    Some(if ratio >= 0.1 {
        format!("{} × {}", format::two_significant(ratio), nearest.campaign)
    } else {
        format!(
            "1/{} of {}",
            format::number((1.0 / ratio).round()),
            nearest.campaign
        )
    })
}

impl Figure for LogRows {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn title(&self) -> String {
        self.title.clone()
    }

    fn caption(&self) -> String {
        self.caption.clone()
    }

    fn size(&self, format: Format) -> (u32, u32) {
        match format {
            Format::Wide => {
                let lines: u32 = self.rows.iter().map(|r| 1 + r.notes.len() as u32).sum();
                let fixed = layout::LOG_ROWS_FIXED + layout::LOG_ROWS_TEXT_LINE * lines;
                let rows = self.rows.len() as u32;
                (
                    layout::PAGE_WIDTH,
                    layout::page_height(fixed, layout::LOG_ROWS_ROW, rows),
                )
            }
            Format::Narrow => {
                let width = format.page_width(layout::PAGE_WIDTH);
                let subtitle: Vec<&str> = self.subtitle.iter().map(String::as_str).collect();
                let header =
                    style::header_height(format, width, &self.title, &subtitle, &self.legend);
                let texts = self.narrow_texts(width as i32);
                let rows = layout::stacked_rows_height(self.rows.len(), most_lines(&texts));
                (width, header + rows)
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
        let subtitle: Vec<&str> = self.subtitle.iter().map(String::as_str).collect();
        let body = style::header(root, format, &self.title, &subtitle, &self.legend)?;
        match format {
            Format::Wide => self.draw_wide(root, body),
            Format::Narrow => self.draw_narrow(root, body),
        }
    }
}

/// A row's texts laid out for a narrow chart: its label's lines and its
/// notes' lines, each with its style.
type RowTexts = Vec<(String, TextStyle<'static>)>;

/// The most lines of text of any row.
fn most_lines(texts: &[RowTexts]) -> usize {
    texts.iter().map(Vec::len).max().unwrap_or(1)
}

impl LogRows {
    /// The axis across the rows, from 10^`lo` to 10^`hi`: a tick at every
    /// power of ten, or every other one when `thin`.
    fn x_axis(&self, (lo, hi): (f64, f64), thin: bool) -> Axis<'static> {
        let decades: Vec<f64> = (lo as i32..=hi.floor() as i32).map(f64::from).collect();
        let step = if thin && decades.len() > 5 { 2 } else { 1 };
        Axis {
            range: lo..hi,
            ticks: decades.into_iter().step_by(step).collect(),
            desc: self.x_desc.clone(),
            format: &|v: &f64| format::compact(10f64.powf(*v)),
        }
    }

    /// The rows with their label and notes in a column on the left, the
    /// marks on the log axis right of it.
    fn draw_wide<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        body: Rect,
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let label_style = style::bold(style::LABEL_SIZE, style::INK);
        let note_style = style::text(style::NOTE_SIZE, style::INK);
        let widest = self
            .rows
            .iter()
            .flat_map(|r| {
                std::iter::once(style::text_width(&label_style, &r.label)).chain(
                    r.notes
                        .iter()
                        .map(|(n, _)| style::text_width(&note_style, n)),
                )
            })
            .max()
            .unwrap_or(100);
        let (labels, plot) = layout::label_column(body, widest);

        let (lo, hi) = self.decades();
        let n = self.rows.len().max(1) as f64;
        let x = self.x_axis((lo, hi), false);
        // Row k (from the top) is centred at n - 1 - k.
        let y = Axis {
            range: -0.6..(n - 0.4),
            ticks: Vec::new(),
            desc: String::new(),
            format: &super::no_tick,
        };
        let area = super::region(root, plot);
        let mut chart = super::plot_aligned(&area, &x, &y, layout::BARE_Y_AXIS)?;
        self.draw_shading(root, &mut chart, Some(labels))?;
        draw_log_grid(&mut chart, lo..hi, y.range, true)?;
        for (k, row) in self.rows.iter().enumerate() {
            let yc = n - 1.0 - k as f64;
            let middle = super::page_point(root, &chart, (lo, yc)).1;
            let (label_at, notes_at) = layout::row_texts(labels, middle, row.notes.len());
            row.draw_texts(root, label_at, &notes_at)?;
            row.draw_marks(&mut chart, (lo, hi), yc)?;
        }
        Ok(())
    }

    /// The texts of each row wrapped to a narrow chart `width` pixels wide.
    fn narrow_texts(&self, width: i32) -> Vec<RowTexts> {
        let room = width - 2 * Format::Narrow.margin() - layout::ROW_TEXT_INSET;
        self.rows
            .iter()
            .map(|row| {
                let label = style::bold(style::LABEL_SIZE, row.color);
                let mut lines: RowTexts = super::wrap(&row.label, &label, room)
                    .into_iter()
                    .map(|l| (l, label.clone()))
                    .collect();
                for (note, color) in &row.notes {
                    let style = style::text(style::NOTE_SIZE, *color);
                    lines.extend(
                        super::wrap(note, &style, room)
                            .into_iter()
                            .map(|l| (l, style.clone())),
                    );
                }
                lines
            })
            .collect()
    }

    /// The rows one under the other across the whole chart, each with its
    /// label and notes above its marks.
    fn draw_narrow<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        body: Rect,
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let texts = self.narrow_texts(super::page(root).width());
        let lines = most_lines(&texts);
        let (lo, hi) = self.decades();
        let n = self.rows.len().max(1) as f64;
        let x = self.x_axis((lo, hi), true);
        // Row k (from the top) spans n - 1 - k ± 0.5; its marks sit in the
        // band at its foot.
        let y = Axis {
            range: -0.5..(n - 0.5),
            ticks: Vec::new(),
            desc: String::new(),
            format: &super::no_tick,
        };
        let row_height = layout::stacked_row_height(lines) as f64;
        let marks = 0.5 - layout::STACKED_ROW_MARKS as f64 / 2.0 / row_height;
        let area = super::region(root, body);
        let mut chart = super::plot_aligned(&area, &x, &y, layout::BARE_Y_AXIS)?;
        self.draw_shading(root, &mut chart, None)?;
        draw_log_grid(&mut chart, lo..hi, y.range.clone(), false)?;
        for (k, (row, text)) in self.rows.iter().zip(&texts).enumerate() {
            let yc = n - 1.0 - k as f64;
            let top_left = super::page_point(root, &chart, (lo, yc + 0.5));
            for (i, (line, style)) in text.iter().enumerate() {
                root.draw(&Text::new(
                    line.clone(),
                    layout::stacked_row_line(top_left, i),
                    style.clone(),
                ))?;
            }
            row.draw_marks(&mut chart, (lo, hi), yc - marks)?;
        }
        Ok(())
    }
}

impl LogRows {
    /// A faint band behind every other row, across labels and plot, under
    /// the grid.
    fn draw_shading<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &mut ChartContext<'_, DB, Coords>,
        labels: Option<Rect>,
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let (lo, hi) = self.decades();
        let n = self.rows.len().max(1) as f64;
        for k in (0..self.rows.len()).step_by(2) {
            let yc = n - 1.0 - k as f64;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(lo, yc - 0.5), (hi, yc + 0.5)],
                SHADE.filled(),
            )))?;
            let Some(labels) = labels else {
                continue;
            };
            let top = super::page_point(root, chart, (lo, yc + 0.5)).1;
            let bottom = super::page_point(root, chart, (lo, yc - 0.5)).1;
            let band = layout::label_band(labels, top, bottom);
            root.draw(&Rectangle::new(
                [(band.x0, band.y0), (band.x1, band.y1)],
                SHADE.filled(),
            ))?;
        }
        Ok(())
    }
}

/// Grid lines at every power of ten and, when `minor`, lighter at 2 to 9
/// times each, so that the log scale reads as one; across the rows `y`.
/// A narrow chart has no room for the lighter ones.
fn draw_log_grid<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Coords>,
    x: Range<f64>,
    y: Range<f64>,
    minor: bool,
) -> DrawResult<()>
where
    DB::ErrorType: 'static,
{
    let decades = x.start as i32..=x.end.floor() as i32;
    let line = |v: f64, color: RGBColor| {
        std::iter::once(PathElement::new(
            vec![(v, y.start), (v, y.end)],
            color.stroke_width(1),
        ))
    };
    for d in decades.clone().filter(|_| minor) {
        for m in 2..10 {
            let v = f64::from(d) + f64::from(m).log10();
            if v > x.end {
                break;
            }
            chart.draw_series(line(v, GRID_MINOR))?;
        }
    }
    for d in decades {
        chart.draw_series(line(f64::from(d), style::GRID))?;
    }
    Ok(())
}

impl Row {
    /// The row's colour, or `fallback` for rows drawn in ink.
    fn color_or(&self, fallback: RGBColor) -> RGBColor {
        if self.color == style::INK {
            fallback
        } else {
            self.color
        }
    }

    /// The row's label at `label_at` and its notes at `notes_at`.
    fn draw_texts<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        label_at: layout::Point,
        notes_at: &[layout::Point],
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        root.draw(&Text::new(
            self.label.clone(),
            label_at,
            style::bold(style::LABEL_SIZE, self.color),
        ))?;
        for ((note, color), &at) in self.notes.iter().zip(notes_at) {
            root.draw(&Text::new(
                note.clone(),
                at,
                style::text(style::NOTE_SIZE, *color),
            ))?;
        }
        Ok(())
    }

    /// The row's interval, centre and published estimate, centred at `yc`
    /// on a log axis from 10^`lo` to 10^`hi`.
    fn draw_marks<DB: DrawingBackend>(
        &self,
        chart: &mut ChartContext<'_, DB, Coords>,
        (lo, hi): (f64, f64),
        yc: f64,
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let clamp = |v: f64| v.log10().clamp(lo, hi);
        let px = |chart: &ChartContext<'_, DB, Coords>, x: f64| chart.backend_coord(&(x, 0.0)).0;
        let color = self.color_or(SIMULATED);
        let published = self.published.filter(|p| *p > 0.0);
        if let (Some(p), Some(_)) = (published, self.interval) {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(clamp(p), yc - 0.3), (clamp(p), yc + 0.3)],
                style::INK.stroke_width(2),
            )))?;
        }
        if let Some((a, b)) = self.interval.filter(|(_, b)| *b > 0.0) {
            let a = if a > 0.0 { clamp(a) } else { lo };
            let length = px(chart, clamp(b)) - px(chart, a);
            chart.draw_series(std::iter::once(
                EmptyElement::at((a, yc))
                    + Rectangle::new([(0, -8), (length, 8)], color.mix(0.55).filled()),
            ))?;
        }
        // The mean or median: a tick standing out of the bar, so that a
        // narrow interval stays visible on both sides of it.
        if let Some(c) = self.center.filter(|c| *c > 0.0) {
            chart.draw_series(std::iter::once(
                EmptyElement::at((clamp(c), yc))
                    + Rectangle::new([(-3, -14), (3, 14)], WHITE.filled())
                    + Rectangle::new([(-2, -13), (2, 13)], color.filled()),
            ))?;
        }
        if let Some(p) = published {
            // Beside an interval, a pin across the row, so that neither
            // hides the other; alone, a diamond on the row.
            let head = if self.interval.is_some() {
                yc + 0.3
            } else {
                yc
            };
            chart.draw_series(std::iter::once(
                EmptyElement::at((clamp(p), head))
                    + Polygon::new(vec![(0, -11), (11, 0), (0, 11), (-11, 0)], WHITE.filled())
                    + Polygon::new(vec![(0, -8), (8, 0), (0, 8), (-8, 0)], style::INK.filled()),
            ))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_compared_with_the_nearest_campaign() {
        assert_eq!(
            nearest_campaign(25_000.0).as_deref(),
            Some("0.83 × Kosovo 1999")
        );
        assert_eq!(
            nearest_campaign(1_200.0).as_deref(),
            Some("1/10 of Afghanistan 2001-2002")
        );
        assert_eq!(nearest_campaign(0.0), None);
    }
}
