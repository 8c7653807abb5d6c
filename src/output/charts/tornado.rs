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

use super::layout::{self, Format, Point, Rect, TornadoPanel, TornadoRows};
use super::style::{self, LegendItem, Swatch};
use super::{Chart, DrawResult, Figure};
use crate::analysis::sensitivity::{Analysis, Output};
use crate::error::Result;
use crate::format;
use crate::scenario::ScenarioFile;

/// The bar of what no single input explains.
const UNEXPLAINED: RGBColor = RGBColor(0xBD, 0xBD, 0xBD);
/// Behind every other row, to tie labels to their bars.
const SHADE: RGBColor = RGBColor(0xF5, 0xF5, 0xF5);
/// Light grid lines between the labelled ones.
const GRID_MINOR: RGBColor = RGBColor(0xEC, 0xEC, 0xEC);

/// Size of the short label, of the exact input name under it and of the
/// figures. Even sizes: plotters' bitmap text rounds odd sizes so that
/// full stops and commas sit a pixel above the line.
const LABEL_SIZE: f64 = 16.0;
const NAME_SIZE: f64 = 14.0;
const FIGURE_SIZE: f64 = 16.0;
const TICK_SIZE: f64 = 16.0;

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
    /// Rows drawn (the bars and the rest, or the note), for the layout.
    fn rows(&self) -> TornadoRows {
        TornadoRows {
            rows: if self.bars.is_empty() {
                1
            } else {
                self.bars.len() as i32 + 1
            },
            bars: !self.bars.is_empty(),
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
    let provenance = super::provenance(
        &file.title,
        analysis.seed,
        &format!(
            "{} pick-freeze samples per scenario",
            format::thousands(analysis.samples as f64)
        ),
    );
    figures
        .par_iter()
        .map(|figure| super::draw_chart(figure, note.as_deref(), &provenance, true))
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

    fn legend(&self, format: Format) -> Vec<LegendItem> {
        let interval = match format {
            Format::Wide => "95% confidence interval (figures in brackets)",
            Format::Narrow => "95% confidence interval",
        };
        vec![
            LegendItem::new(
                "first-order index of one input (in the scenario's colour)",
                Swatch::Fill(style::MUTED, 1.0),
            ),
            LegendItem::new(interval, Swatch::Whisker(style::INK)),
            LegendItem::new(
                "interactions and chance: 1 \u{2212} sum of the indices",
                Swatch::Fill(UNEXPLAINED, 1.0),
            ),
        ]
    }

    /// Column widths and the size of the chart.
    fn widths(&self) -> Widths {
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
        Widths {
            label_w,
            figures_w: estimate_w + FIGURE_GAP + bracket_w,
            estimate_w,
        }
    }

    fn rows(&self) -> Vec<TornadoRows> {
        self.panels.iter().map(Panel::rows).collect()
    }
}

/// The label and note of the grey bar.
const INTERACTIONS: &str = "interactions and chance";
const INTERACTIONS_NOTE: &str = "what no single input explains";

/// Room between an estimate and its interval.
const FIGURE_GAP: i32 = 10;

/// Column widths, from the texts to fit.
struct Widths {
    label_w: i32,
    figures_w: i32,
    estimate_w: i32,
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

    fn size(&self, format: Format) -> (u32, u32) {
        let width = match format {
            Format::Wide => {
                let widths = self.widths();
                layout::tornado_width(widths.label_w, widths.figures_w) as u32
            }
            Format::Narrow => format.page_width(layout::PAGE_WIDTH),
        };
        let subtitle = self.subtitle();
        let subtitle: Vec<&str> = subtitle.iter().map(String::as_str).collect();
        let header = style::header_height(
            format,
            width,
            &self.title(),
            &subtitle,
            &self.legend(format),
        ) as i32;
        let height = match format {
            Format::Wide => layout::tornado_height(header, &self.rows()),
            Format::Narrow => layout::narrow_tornado_height(header, &self.rows()),
        };
        (width, height as u32)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        format: Format,
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let widths = self.widths();
        let subtitle = self.subtitle();
        let subtitle: Vec<&str> = subtitle.iter().map(String::as_str).collect();
        let body = style::header(root, format, &self.title(), &subtitle, &self.legend(format))?;
        let frame = match format {
            Format::Wide => layout::tornado(body, widths.label_w, widths.figures_w, &self.rows()),
            Format::Narrow => layout::narrow_tornado(body, &self.rows()),
        };
        let rows = Rows {
            frame: &frame,
            widths: &widths,
            format,
        };
        for (panel, at) in self.panels.iter().zip(&frame.panels) {
            rows.draw_panel(root, panel, at)?;
        }
        Ok(())
    }
}

/// How the rows of a chart are drawn: where, with which column widths,
/// in which format.
struct Rows<'a> {
    frame: &'a layout::Tornado,
    widths: &'a Widths,
    format: Format,
}

/// Where the texts and the bar of a row go.
struct RowSpots {
    /// Top left of the label, and of the exact input name (wide charts).
    label: Point,
    name: Option<Point>,
    /// Room for the label.
    label_width: i32,
    /// The vertical middle of the bar.
    bar: i32,
    /// Top right of the estimate, and top left of its interval in
    /// brackets (wide charts).
    estimate: Point,
    bracket: Option<Point>,
}

impl Rows<'_> {
    /// Where the texts and the bar of row `k` of `at` go.
    fn spots(&self, at: &TornadoPanel, k: usize) -> RowSpots {
        let frame = self.frame;
        let x = at.rows.x0;
        match self.format {
            Format::Wide => {
                let yc = frame.row_middle(at, k);
                let estimate = (
                    frame.figures_x + self.widths.estimate_w,
                    yc - mid(FIGURE_SIZE),
                );
                RowSpots {
                    label: (x, yc - 10 - mid(LABEL_SIZE)),
                    name: Some((x, yc + 11 - mid(NAME_SIZE))),
                    label_width: self.widths.label_w,
                    bar: yc,
                    estimate,
                    bracket: Some((estimate.0 + FIGURE_GAP, estimate.1)),
                }
            }
            Format::Narrow => {
                let top = frame.row_top(at, k);
                RowSpots {
                    label: (x, top + 6),
                    name: None,
                    label_width: frame.figures_x - x - self.widths.estimate_w - FIGURE_GAP,
                    bar: top + 36,
                    estimate: (frame.figures_x, top + 6),
                    bracket: None,
                }
            }
        }
    }
}

/// A straight line of `width` pixels.
fn line(a: Point, b: Point, color: RGBColor, width: u32) -> PathElement<Point> {
    PathElement::new(vec![a, b], color.stroke_width(width))
}

impl Rows<'_> {
    /// One scenario's panel: its name, then its note or its rows and axis.
    fn draw_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        panel: &Panel,
        at: &TornadoPanel,
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let frame = self.frame;
        root.draw(&Text::new(
            panel.name.clone(),
            at.title,
            style::bold(style::PANEL_TITLE_SIZE, panel.color),
        ))?;
        if let Some(note) = &panel.note {
            // No axis for a panel without bars: the note may run across,
            // on two lines at most.
            let note_style = style::text(LABEL_SIZE, style::MUTED);
            let lines = super::wrap(note, &note_style, at.rows.width());
            let lines = &lines[..lines.len().min(2)];
            let top = at.rows.y0 + frame.row_height / 2
                - mid(LABEL_SIZE)
                - NOTE_LINE * (lines.len() as i32 - 1) / 2;
            for (k, line) in lines.iter().enumerate() {
                root.draw(&Text::new(
                    line.clone(),
                    (at.rows.x0, top + NOTE_LINE * k as i32),
                    note_style.clone(),
                ))?;
            }
            return Ok(());
        }
        for k in (1..panel.rows().rows as usize).step_by(2) {
            root.draw(&Rectangle::new(
                corners(frame.row_band(at, k)),
                SHADE.filled(),
            ))?;
        }
        for t in 0..=10 {
            let color = if t % 2 == 0 { style::GRID } else { GRID_MINOR };
            let x = frame.x(t as f64 / 10.0);
            root.draw(&line((x, at.rows.y0), (x, at.rows.y1), color, 1))?;
        }
        for (k, bar) in panel.bars.iter().enumerate() {
            self.draw_bar(root, panel, at, k, bar)?;
        }
        self.draw_rest(root, panel, at)?;
        draw_axis(root, frame, at)
    }

    /// Row `k`: an input's labels, bar, interval and figures.
    fn draw_bar<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        panel: &Panel,
        at: &TornadoPanel,
        k: usize,
        bar: &Bar,
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let frame = self.frame;
        let spots = self.spots(at, k);
        let label_style =
            style::anchored(style::text(LABEL_SIZE, style::INK), HPos::Left, VPos::Top);
        let name_style =
            style::anchored(style::text(NAME_SIZE, style::MUTED), HPos::Left, VPos::Top);
        root.draw(&Text::new(
            fit(&bar.label, &label_style, spots.label_width),
            spots.label,
            label_style.clone(),
        ))?;
        if let Some(at) = spots.name {
            root.draw(&Text::new(
                fit(&bar.input, &name_style, spots.label_width),
                at,
                name_style,
            ))?;
        }
        let yc = spots.bar;
        let half = frame.bar_height / 2;
        if bar.estimate > 0.0 {
            root.draw(&Rectangle::new(
                [
                    (frame.x(0.0), yc - half),
                    (frame.x(bar.estimate), yc + half),
                ],
                panel.color.filled(),
            ))?;
        }
        // The interval, cut at the axis; a cut end has no cap.
        let (lo, hi) = bar.interval;
        if hi > 0.0 {
            let (a, b) = (frame.x(lo), frame.x(hi));
            root.draw(&line((a, yc), (b, yc), style::INK, 2))?;
            for (end, v) in [(a, lo), (b, hi)] {
                if (0.0..=1.0).contains(&v) {
                    root.draw(&line((end, yc - 7), (end, yc + 7), style::INK, 2))?;
                }
            }
        }
        root.draw(&Text::new(
            format!("{}%", format::signed_percent(bar.estimate)),
            spots.estimate,
            style::anchored(style::bold(FIGURE_SIZE, style::INK), HPos::Right, VPos::Top),
        ))?;
        if let Some(at) = spots.bracket {
            root.draw(&Text::new(
                bracket(bar.interval),
                at,
                style::anchored(
                    style::text(FIGURE_SIZE, style::MUTED),
                    HPos::Left,
                    VPos::Top,
                ),
            ))?;
        }
        Ok(())
    }

    /// The last row: what no single input explains.
    fn draw_rest<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        panel: &Panel,
        at: &TornadoPanel,
    ) -> DrawResult<()>
    where
        DB::ErrorType: 'static,
    {
        let frame = self.frame;
        let spots = self.spots(at, panel.bars.len());
        let muted = |size| style::anchored(style::text(size, style::MUTED), HPos::Left, VPos::Top);
        root.draw(&Text::new(INTERACTIONS, spots.label, muted(LABEL_SIZE)))?;
        if let Some(at) = spots.name {
            root.draw(&Text::new(INTERACTIONS_NOTE, at, muted(NAME_SIZE)))?;
        }
        if panel.unexplained > 0.0 {
            let half = frame.bar_height / 2;
            root.draw(&Rectangle::new(
                [
                    (frame.x(0.0), spots.bar - half),
                    (frame.x(panel.unexplained), spots.bar + half),
                ],
                UNEXPLAINED.filled(),
            ))?;
        }
        root.draw(&Text::new(
            format!("{}%", format::signed_percent(panel.unexplained)),
            spots.estimate,
            style::anchored(
                style::text(FIGURE_SIZE, style::MUTED),
                HPos::Right,
                VPos::Top,
            ),
        ))?;
        Ok(())
    }
}

/// Height of a line of a panel's note.
const NOTE_LINE: i32 = 20;

/// The axes of a panel with bars: at 0, and under the rows with ticks
/// every 20%; under the last such panel, the axis description.
fn draw_axis<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &layout::Tornado,
    at: &TornadoPanel,
) -> DrawResult<()>
where
    DB::ErrorType: 'static,
{
    let (top, bottom) = (at.rows.y0, at.rows.y1);
    let zero = frame.x(0.0);
    root.draw(&line((zero, top), (zero, bottom), style::MUTED, 1))?;
    root.draw(&line(
        (zero, bottom),
        (frame.x(1.0), bottom),
        style::MUTED,
        1,
    ))?;
    let tick_style = style::anchored(style::text(TICK_SIZE, style::INK), HPos::Center, VPos::Top);
    for t in (0..=10).step_by(2) {
        let x = frame.x(t as f64 / 10.0);
        root.draw(&line((x, bottom), (x, bottom + 5), style::MUTED, 1))?;
        root.draw(&Text::new(
            format!("{}%", t * 10),
            (x, bottom + 7),
            tick_style.clone(),
        ))?;
    }
    if let Some(desc) = at.axis_desc {
        root.draw(&Text::new(
            "Share of the variance explained, %",
            desc,
            style::anchored(style::text(LABEL_SIZE, style::INK), HPos::Center, VPos::Top),
        ))?;
    }
    Ok(())
}

/// A rectangle's corners, as plotters takes them.
fn corners(r: Rect) -> [Point; 2] {
    [(r.x0, r.y0), (r.x1, r.y1)]
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
