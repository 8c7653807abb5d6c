//! The tornado charts of `dudsim sensitivity` (`sensitivity-unexploded`,
//! `sensitivity-live`, `sensitivity-casualties`): for one output, one panel
//! per scenario with a horizontal bar per uncertain input, its first-order
//! index as a share of the output's variance (0 to 100%), ranked largest on
//! top, with its 95% confidence interval as whiskers, and a grey bar for
//! what no single input explains (interactions and chance).
//!
//! Drawn in pixels rather than through a plotters chart: the rows carry
//! two-line labels on the left and figures on the right.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use rayon::prelude::*;

use super::style::{self, LegendItem, Swatch};
use super::{Chart, DrawResult, Figure};
use crate::error::Result;
use crate::format;
use crate::scenario::ScenarioFile;
use crate::sensitivity::{Analysis, Output};

/// The bar of what no single input explains.
const UNEXPLAINED: RGBColor = RGBColor(0xBD, 0xBD, 0xBD);
/// Behind every other row, to tie labels to their bars.
const SHADE: RGBColor = RGBColor(0xF5, 0xF5, 0xF5);
/// Light grid lines between the labelled ones.
const GRID_MINOR: RGBColor = RGBColor(0xEC, 0xEC, 0xEC);

/// Left and right margins of the chart.
const MARGIN: i32 = 24;
/// Room between the label column and the plot, and between the plot and
/// the figures.
const GAP: i32 = 18;
/// Narrowest plot, from 0 to 100%.
const PLOT_MIN: i32 = 620;
/// Heights in pixels: a panel's title, a row (at least), the room between
/// panels, the tick labels under a panel with bars and the axis
/// description under the last of them.
const PANEL_TITLE_H: i32 = 36;
const ROW_H: i32 = 50;
const PANEL_GAP: i32 = 14;
const TICKS_H: i32 = 28;
const AXIS_DESC_H: i32 = 30;
/// Thickness of a bar (at least).
const BAR_H: i32 = 20;

/// Size of the short label, of the exact input name under it and of the
/// figures. Even sizes: plotters' bitmap text rounds odd sizes so that
/// full stops and commas sit a pixel above the line.
const LABEL_SIZE: f64 = 16.0;
const NAME_SIZE: f64 = 14.0;
const FIGURE_SIZE: f64 = 16.0;
const TICK_SIZE: f64 = 14.0;

/// One input's bar.
#[derive(Debug, Clone)]
struct Bar {
    label: String,
    input: String,
    estimate: f64,
    interval: (f64, f64),
}

/// One scenario.
#[derive(Debug, Clone)]
struct Panel {
    name: String,
    color: RGBColor,
    bars: Vec<Bar>,
    unexplained: f64,
    /// Why there is nothing to show, for a scenario without bars.
    note: Option<String>,
}

impl Panel {
    /// Height of everything but the rows: title, ticks and gap.
    fn frame_height(&self) -> i32 {
        PANEL_TITLE_H + PANEL_GAP + if self.bars.is_empty() { 0 } else { TICKS_H }
    }

    /// Rows drawn: the bars and the rest, or the note.
    fn rows(&self) -> i32 {
        if self.bars.is_empty() {
            1
        } else {
            self.bars.len() as i32 + 1
        }
    }
}

/// The tornado chart of one output, every scenario in its panel.
pub struct Tornado {
    output: Output,
    /// What the output is, e.g. `Live UXO at month 120`.
    output_label: String,
    samples: u64,
    seed: u64,
    panels: Vec<Panel>,
}

/// The tornado charts of an analysis, one per output that has ranked
/// inputs (none when no scenario has an uncertain input), drawn in
/// parallel on the current rayon pool.
pub fn charts(analysis: &Analysis, file: &ScenarioFile) -> Result<Vec<Chart>> {
    // A panel per scenario: draw the first few only, and say so.
    let note = super::first_scenarios_note(file.scenarios.len());
    let mut first = file.clone();
    first.scenarios.truncate(super::MAX_PANELS);
    let figures: Vec<Tornado> = analysis
        .outputs()
        .into_iter()
        .filter_map(|o| Tornado::new(analysis, &first, o))
        .collect();
    figures
        .par_iter()
        .map(|figure| super::render_noted(figure, note.as_deref()))
        .collect()
}

impl Tornado {
    /// The chart of `output`; `None` when no scenario ranks an input for it.
    pub fn new(analysis: &Analysis, file: &ScenarioFile, output: Output) -> Option<Self> {
        if !analysis.rows.iter().any(|r| r.output == output) {
            return None;
        }
        let panels = file
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let bars: Vec<Bar> = analysis
                    .ranked(&s.name, output)
                    .into_iter()
                    .map(|r| Bar {
                        label: r.label.clone(),
                        input: r.input.clone(),
                        estimate: r.index.estimate,
                        interval: r.index.interval(),
                    })
                    .collect();
                let note = if !bars.is_empty() {
                    None
                } else if analysis.certain.contains(&s.name) {
                    Some("every input of this scenario is a fixed number: nothing to rank")
                } else if output != Output::Unexploded
                    && (s.aftermath.is_none() || file.simulation.steps == 0)
                {
                    Some("no aftermath modelled for this scenario")
                } else {
                    Some("this output does not vary in this scenario: nothing to apportion")
                };
                Panel {
                    name: s.name.clone(),
                    color: style::scenario_color(i),
                    unexplained: analysis.unexplained(&s.name, output),
                    bars,
                    note: note.map(str::to_string),
                }
            })
            .collect();
        Some(Tornado {
            output,
            output_label: output.label(file),
            samples: analysis.samples,
            seed: analysis.seed,
            panels,
        })
    }

    /// The output in words inside a sentence.
    fn output_words(&self) -> String {
        match self.output {
            Output::Unexploded => "unexploded submunitions".to_string(),
            _ => lower_first(&self.output_label),
        }
    }

    fn subtitle(&self) -> Vec<String> {
        vec![
            "First-order index: the share of the variance that would disappear if that one \
             input were known exactly."
                .to_string(),
            format!(
                "{}, one panel per scenario; {} pick-freeze samples per scenario, seed {}.",
                self.output_label,
                format::thousands(self.samples as f64),
                self.seed
            ),
        ]
    }

    fn legend(&self) -> Vec<LegendItem> {
        vec![
            LegendItem::new(
                "first-order index of one input (in the scenario's colour)",
                Swatch::Fill(style::MUTED, 1.0),
            ),
            LegendItem::new(
                "95% confidence interval (figures in brackets)",
                Swatch::Whisker(style::INK),
            ),
            LegendItem::new(
                "interactions and chance: 1 \u{2212} sum of the indices",
                Swatch::Fill(UNEXPLAINED, 1.0),
            ),
        ]
    }

    /// Height of the body but the rows.
    fn fixed_height(&self) -> i32 {
        self.panels.iter().map(Panel::frame_height).sum::<i32>() + AXIS_DESC_H + 12
    }

    /// Column widths and the size of the chart.
    fn layout(&self) -> Layout {
        let label = style::text(LABEL_SIZE, style::INK);
        let name = style::text(NAME_SIZE, style::MUTED);
        let label_w = self
            .panels
            .iter()
            .flat_map(|p| &p.bars)
            .map(|b| style::text_width(&label, &b.label).max(style::text_width(&name, &b.input)))
            .chain([
                style::text_width(&label, INTERACTIONS),
                style::text_width(&name, INTERACTIONS_NOTE),
            ])
            .max()
            .unwrap_or(200)
            .clamp(200, 640);
        let figure = style::text(FIGURE_SIZE, style::INK);
        let estimate_w = style::text_width(&style::bold(FIGURE_SIZE, style::INK), "-100.0%");
        let bracket_w = self
            .panels
            .iter()
            .flat_map(|p| &p.bars)
            .map(|b| style::text_width(&figure, &bracket(b.interval)))
            .max()
            .unwrap_or(0);
        let figures_w = estimate_w + 10 + bracket_w;
        let width = (2 * MARGIN + label_w + 2 * GAP + PLOT_MIN + figures_w).max(1200);

        let subtitle = self.subtitle().len() as i32;
        let legend = legend_rows(&self.legend(), width - 2 * MARGIN);
        let header = 60 + 26 * subtitle + 6 + 26 * legend + 8;
        let rows: i32 = self.panels.iter().map(Panel::rows).sum();
        let height = (header + self.fixed_height() + rows * ROW_H).max(800);
        Layout {
            width: width as u32,
            height: height as u32,
            label_w,
            figures_w,
            estimate_w,
            rows,
        }
    }
}

/// The label and note of the grey bar.
const INTERACTIONS: &str = "interactions and chance";
const INTERACTIONS_NOTE: &str = "what no single input explains";

/// Column widths and size, from the texts to fit.
struct Layout {
    width: u32,
    height: u32,
    label_w: i32,
    figures_w: i32,
    estimate_w: i32,
    /// Rows over all panels.
    rows: i32,
}

/// Rows the header's legend takes (as `style::header` lays it out).
fn legend_rows(items: &[LegendItem], width: i32) -> i32 {
    let style = style::text(style::LABEL_SIZE, style::INK);
    let (mut rows, mut x) = (1, 0);
    for item in items {
        let w = 34 + style::text_width(&style, &item.label) + 28;
        if x > 0 && x + w > width {
            rows += 1;
            x = 0;
        }
        x += w;
    }
    rows
}

/// How far above a line's middle its top lies, for text of `size` pixels.
fn mid(size: f64) -> i32 {
    (size * 0.6).round() as i32
}

/// A 95% interval in brackets: `[89.2 to 90.0]`.
fn bracket((lo, hi): (f64, f64)) -> String {
    format!(
        "[{} to {}]",
        format::signed_percent(lo),
        format::signed_percent(hi)
    )
}

/// `Live UXO at month 120` → `live UXO at month 120`.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `text`, cut with an ellipsis to fit `width` pixels in `style`.
fn fit(text: &str, style: &TextStyle<'_>, width: i32) -> String {
    if style::text_width(style, text) <= width {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().collect::<String>() + "\u{2026}";
        if style::text_width(style, &candidate) <= width {
            return candidate;
        }
    }
    String::new()
}

impl Figure for Tornado {
    fn name(&self) -> String {
        format!("sensitivity-{}", self.output.name())
    }

    fn title(&self) -> String {
        format!("What drives the uncertainty in {}", self.output_words())
    }

    fn caption(&self) -> String {
        format!(
            "A first-order index is the share of an output's variance that would \
             disappear if that one input were known exactly. For {}, each bar is \
             one uncertain input of the scenario, largest on top, with its 95% \
             confidence interval; the grey bar is the rest, left to interactions \
             between inputs and to chance (which submunitions fail, which duds \
             people meet). Estimated from {} pick-freeze samples per scenario; an \
             estimate below 0 is chance around 0 and shows as no bar.",
            match self.output {
                Output::Unexploded => "unexploded submunitions after the strikes".to_string(),
                _ => self.output_words(),
            },
            format::thousands(self.samples as f64)
        )
    }

    fn size(&self) -> (u32, u32) {
        let layout = self.layout();
        (layout.width, layout.height)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let layout = self.layout();
        let subtitle = self.subtitle();
        let subtitle: Vec<&str> = subtitle.iter().map(String::as_str).collect();
        let body = style::header(root, &self.title(), &subtitle, &self.legend())?;
        let (width, height) = body.dim_in_pixel();
        let (width, height) = (width as i32, height as i32);

        // Rows, and their bars, grow to fill a chart held at its minimum height.
        let row_h = ((height - self.fixed_height()) / layout.rows.max(1)).clamp(ROW_H, 2 * ROW_H);
        let bar_h = (row_h * 2 / 5).clamp(BAR_H, 32);

        let x0 = MARGIN + layout.label_w + GAP;
        let x1 = width - MARGIN - layout.figures_w - GAP;
        let x = |v: f64| x0 + (v.clamp(0.0, 1.0) * (x1 - x0) as f64).round() as i32;
        let figures_x = x1 + GAP;

        let label_style =
            style::anchored(style::text(LABEL_SIZE, style::INK), HPos::Left, VPos::Top);
        let name_style =
            style::anchored(style::text(NAME_SIZE, style::MUTED), HPos::Left, VPos::Top);
        let estimate_style =
            style::anchored(style::bold(FIGURE_SIZE, style::INK), HPos::Right, VPos::Top);
        let bracket_style = style::anchored(
            style::text(FIGURE_SIZE, style::MUTED),
            HPos::Left,
            VPos::Top,
        );
        let line = |a: (i32, i32), b: (i32, i32), color: RGBColor, w: u32| {
            PathElement::new(vec![a, b], color.stroke_width(w))
        };

        let tick_style =
            style::anchored(style::text(TICK_SIZE, style::INK), HPos::Center, VPos::Top);
        let last_with_bars = self.panels.iter().rposition(|p| !p.bars.is_empty());
        let mut top = 0;
        for (p, panel) in self.panels.iter().enumerate() {
            body.draw(&Text::new(
                panel.name.clone(),
                (MARGIN, top + 10),
                style::bold(style::PANEL_TITLE_SIZE, panel.color),
            ))?;
            let rows_top = top + PANEL_TITLE_H;
            let rows_bottom = rows_top + panel.rows() * row_h;
            if let Some(note) = &panel.note {
                // No axis for a panel without bars: the note may run across.
                body.draw(&Text::new(
                    note.clone(),
                    (MARGIN, rows_top + row_h / 2 - mid(LABEL_SIZE)),
                    style::text(LABEL_SIZE, style::MUTED),
                ))?;
                top = rows_bottom + PANEL_GAP;
                continue;
            }
            for k in (1..panel.rows()).step_by(2) {
                let y = rows_top + k * row_h;
                body.draw(&Rectangle::new(
                    [(MARGIN - 8, y), (width - MARGIN + 8, y + row_h)],
                    SHADE.filled(),
                ))?;
            }
            for t in 0..=10 {
                let color = if t % 2 == 0 { style::GRID } else { GRID_MINOR };
                let gx = x(t as f64 / 10.0);
                body.draw(&line((gx, rows_top), (gx, rows_bottom), color, 1))?;
            }

            for (k, bar) in panel.bars.iter().enumerate() {
                let yc = rows_top + k as i32 * row_h + row_h / 2;
                body.draw(&Text::new(
                    fit(&bar.label, &label_style, layout.label_w),
                    (MARGIN, yc - 10 - mid(LABEL_SIZE)),
                    label_style.clone(),
                ))?;
                body.draw(&Text::new(
                    fit(&bar.input, &name_style, layout.label_w),
                    (MARGIN, yc + 11 - mid(NAME_SIZE)),
                    name_style.clone(),
                ))?;
                if bar.estimate > 0.0 {
                    body.draw(&Rectangle::new(
                        [(x(0.0), yc - bar_h / 2), (x(bar.estimate), yc + bar_h / 2)],
                        panel.color.filled(),
                    ))?;
                }
                // The interval, cut at the axis; a cut end has no cap.
                let (lo, hi) = bar.interval;
                if hi > 0.0 {
                    let (a, b) = (x(lo), x(hi));
                    body.draw(&line((a, yc), (b, yc), style::INK, 2))?;
                    for (end, v) in [(a, lo), (b, hi)] {
                        if (0.0..=1.0).contains(&v) {
                            body.draw(&line((end, yc - 7), (end, yc + 7), style::INK, 2))?;
                        }
                    }
                }
                body.draw(&Text::new(
                    format!("{}%", format::signed_percent(bar.estimate)),
                    (figures_x + layout.estimate_w, yc - mid(FIGURE_SIZE)),
                    estimate_style.clone(),
                ))?;
                body.draw(&Text::new(
                    bracket(bar.interval),
                    (figures_x + layout.estimate_w + 10, yc - mid(FIGURE_SIZE)),
                    bracket_style.clone(),
                ))?;
            }
            if !panel.bars.is_empty() {
                let yc = rows_top + panel.bars.len() as i32 * row_h + row_h / 2;
                let muted =
                    style::anchored(style::text(LABEL_SIZE, style::MUTED), HPos::Left, VPos::Top);
                body.draw(&Text::new(
                    INTERACTIONS,
                    (MARGIN, yc - 10 - mid(LABEL_SIZE)),
                    muted,
                ))?;
                body.draw(&Text::new(
                    INTERACTIONS_NOTE,
                    (MARGIN, yc + 11 - mid(NAME_SIZE)),
                    name_style.clone(),
                ))?;
                if panel.unexplained > 0.0 {
                    body.draw(&Rectangle::new(
                        [
                            (x(0.0), yc - bar_h / 2),
                            (x(panel.unexplained), yc + bar_h / 2),
                        ],
                        UNEXPLAINED.filled(),
                    ))?;
                }
                body.draw(&Text::new(
                    format!("{}%", format::signed_percent(panel.unexplained)),
                    (figures_x + layout.estimate_w, yc - mid(FIGURE_SIZE)),
                    style::anchored(
                        style::text(FIGURE_SIZE, style::MUTED),
                        HPos::Right,
                        VPos::Top,
                    ),
                ))?;
            }
            body.draw(&line(
                (x(0.0), rows_top),
                (x(0.0), rows_bottom),
                style::MUTED,
                1,
            ))?;
            // The horizontal axis, under every panel with bars.
            body.draw(&line(
                (x(0.0), rows_bottom),
                (x(1.0), rows_bottom),
                style::MUTED,
                1,
            ))?;
            for t in (0..=10).step_by(2) {
                let gx = x(t as f64 / 10.0);
                body.draw(&line(
                    (gx, rows_bottom),
                    (gx, rows_bottom + 5),
                    style::MUTED,
                    1,
                ))?;
                body.draw(&Text::new(
                    format!("{}%", t * 10),
                    (gx, rows_bottom + 7),
                    tick_style.clone(),
                ))?;
            }
            top = rows_bottom + TICKS_H;
            if Some(p) == last_with_bars {
                body.draw(&Text::new(
                    "Share of the variance explained, %",
                    ((x0 + x1) / 2, top),
                    style::anchored(style::text(LABEL_SIZE, style::INK), HPos::Center, VPos::Top),
                ))?;
                top += AXIS_DESC_H;
            }
            top += PANEL_GAP;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_read_as_percentages() {
        assert_eq!(bracket((0.059, 0.098)), "[5.9 to 9.8]");
        assert_eq!(
            lower_first("Live UXO at month 120"),
            "live UXO at month 120"
        );
    }
}
