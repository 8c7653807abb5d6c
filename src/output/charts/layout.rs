//! Where things go on a chart, in pixels: page sizes, the header and its
//! legend, the grid of small multiples, panel captions, the room a plot
//! leaves for its axes, the maps and their colour bar, the rows of a
//! tornado chart.
//!
//! Pure functions over plain rectangles and named constants: no drawing
//! and no plotters type here, so that the layout is tested on its own.
//! The painting code measures its texts, asks for rectangles and points,
//! and draws there. Coordinates are pixels from the top left of the page,
//! y growing downwards.

/// A point on the page.
pub type Point = (i32, i32);

/// A rectangle of pixels from `(x0, y0)` (included) to `(x1, y1)`
/// (excluded). The splits reproduce plotters' own, pixel for pixel, so
/// that a chart drawn from these rectangles is the chart plotters' areas
/// gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

impl Rect {
    pub const fn new(x0: i32, y0: i32, x1: i32, y1: i32) -> Self {
        Rect { x0, y0, x1, y1 }
    }

    /// A page of `width` × `height` pixels.
    pub const fn page(width: u32, height: u32) -> Self {
        Rect::new(0, 0, width as i32, height as i32)
    }

    pub const fn width(&self) -> i32 {
        self.x1 - self.x0
    }

    pub const fn height(&self) -> i32 {
        self.y1 - self.y0
    }

    /// The point `(dx, dy)` from the top left corner.
    pub const fn at(&self, (dx, dy): Point) -> Point {
        (self.x0 + dx, self.y0 + dy)
    }

    /// The top `height` pixels and the rest below.
    pub const fn split_top(&self, height: i32) -> (Rect, Rect) {
        let y = self.y0 + height;
        (
            Rect::new(self.x0, self.y0, self.x1, y),
            Rect::new(self.x0, y, self.x1, self.y1),
        )
    }

    /// The left `width` pixels and the rest right of them.
    pub const fn split_left(&self, width: i32) -> (Rect, Rect) {
        let x = self.x0 + width;
        (
            Rect::new(self.x0, self.y0, x, self.y1),
            Rect::new(x, self.y0, self.x1, self.y1),
        )
    }

    /// The `width` × `height` rectangle whose top left corner is `offset`
    /// from this one's, its corner kept inside this one (as plotters'
    /// `shrink` does; the far sides may lie outside).
    pub fn inset(&self, (dx, dy): Point, (width, height): (i32, i32)) -> Rect {
        let x0 = self.x1.min(self.x0 + dx);
        let y0 = self.y1.min(self.y0 + dy);
        Rect::new(x0, y0, x0.max(x0 + width), y0.max(y0 + height))
    }

    /// A `rows` × `columns` grid of cells, row by row, as even as whole
    /// pixels allow (the first cells one pixel larger).
    pub fn grid(&self, rows: usize, columns: usize) -> Vec<Rect> {
        fn split(from: i32, to: i32, n: usize, k: usize) -> i32 {
            let size = (to - from) as usize;
            from + k as i32 * (size / n) as i32 + k.min(size % n) as i32
        }
        (0..rows)
            .flat_map(|r| (0..columns).map(move |c| (r, c)))
            .map(|(r, c)| Rect {
                x0: split(self.x0, self.x1, columns, c),
                y0: split(self.y0, self.y1, rows, r),
                x1: split(self.x0, self.x1, columns, c + 1),
                y1: split(self.y0, self.y1, rows, r + 1),
            })
            .collect()
    }

    /// Whether `other` lies inside this rectangle.
    #[cfg(test)]
    pub fn contains(&self, other: &Rect) -> bool {
        self.x0 <= other.x0 && other.x1 <= self.x1 && self.y0 <= other.y0 && other.y1 <= self.y1
    }

    /// Whether the two rectangles share a pixel.
    #[cfg(test)]
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x0.max(other.x0) < self.x1.min(other.x1)
            && self.y0.max(other.y0) < self.y1.min(other.y1)
    }
}

// ---------------------------------------------------------------- pages

/// Width of a chart.
pub const PAGE_WIDTH: u32 = 1200;
/// Width of a chart of maps.
pub const MAP_PAGE_WIDTH: u32 = 1500;
/// Height of the shortest chart.
pub const MIN_PAGE_HEIGHT: u32 = 800;
/// Room left of the texts of a chart (and right of its legend).
pub const PAGE_MARGIN: i32 = 24;

/// Height of a chart with `rows` rows of `row_height` pixels under
/// `fixed` pixels (header, axes, colour bar), at least [`MIN_PAGE_HEIGHT`].
pub fn page_height(fixed: u32, row_height: u32, rows: u32) -> u32 {
    (fixed + row_height * rows).max(MIN_PAGE_HEIGHT)
}

/// The foot of a chart, under it: a line of notes, room above the first
/// line and below the last.
pub const FOOT_LINE: i32 = 20;
const FOOT_TOP: i32 = 14;
const FOOT_BOTTOM: i32 = 10;

/// Height of a foot of `lines` lines (none without lines).
pub fn foot_height(lines: usize) -> u32 {
    if lines == 0 {
        0
    } else {
        (FOOT_TOP + FOOT_LINE * lines as i32 + FOOT_BOTTOM) as u32
    }
}

/// The chart above a foot of `lines` lines, and the top left of each
/// line's text.
pub fn foot(page: Rect, chart_height: i32, format: Format, lines: usize) -> (Rect, Vec<Point>) {
    let (chart, foot) = page.split_top(chart_height);
    let at = (0..lines as i32)
        .map(|k| foot.at((format.margin(), FOOT_TOP + FOOT_LINE * k)))
        .collect();
    (chart, at)
}

/// How a chart is laid out: for a page as wide as a desktop screen or a
/// print (the files, and the report on a large screen), or for a phone's
/// (the report on a small screen), where a wide chart scaled down to the
/// screen would shrink its text to a few pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// [`PAGE_WIDTH`] wide (maps [`MAP_PAGE_WIDTH`]), small multiples side
    /// by side.
    Wide,
    /// [`NARROW_PAGE_WIDTH`] wide, small multiples stacked, so that the
    /// chart shown across a phone keeps its text near its drawn size.
    Narrow,
}

/// Width of a chart laid out for a phone: about the width a phone 390
/// CSS pixels wide gives a page's content, so that the smallest text
/// (tick labels, 15 pixels as plotters sizes text, 12.1 in the SVG) is
/// shown at 11.5 CSS pixels or more.
pub const NARROW_PAGE_WIDTH: u32 = 380;
/// Height of a plot of a narrow chart, its axes included.
pub const NARROW_PLOT_HEIGHT: u32 = 300;
/// Room left and right of a narrow chart's texts.
const NARROW_MARGIN: i32 = 12;
/// Title lines of a narrow chart, and its subtitle lines.
const NARROW_TITLE_LINE: i32 = 27;
const NARROW_TITLE_HEIGHT: i32 = 32;
const NARROW_SUBTITLE_LINE: i32 = 21;

impl Format {
    /// The width of a chart `wide` pixels wide in the wide format.
    pub const fn page_width(self, wide: u32) -> u32 {
        match self {
            Format::Wide => wide,
            Format::Narrow => NARROW_PAGE_WIDTH,
        }
    }

    /// Room left and right of the texts.
    pub const fn margin(self) -> i32 {
        match self {
            Format::Wide => PAGE_MARGIN,
            Format::Narrow => NARROW_MARGIN,
        }
    }

    /// Columns of small multiples: at most `most` side by side, or one.
    pub const fn most_columns(self, most: usize) -> usize {
        match self {
            Format::Wide => most,
            Format::Narrow => 1,
        }
    }

    /// Top of the title.
    const fn title_top(self) -> i32 {
        match self {
            Format::Wide => 18,
            Format::Narrow => 12,
        }
    }

    /// Ticks aimed for along a horizontal axis that would get `wide` on a
    /// wide chart.
    pub fn x_ticks(self, wide: usize) -> usize {
        match self {
            Format::Wide => wide,
            Format::Narrow => wide.div_ceil(2).max(3),
        }
    }
}

// ---------------------------------------------------------------- header

/// Height of a title line: from its top to the next line's, and to what
/// follows the last.
const TITLE_LINE: i32 = 36;
const TITLE_HEIGHT: i32 = 42;
/// Height of a subtitle line.
const SUBTITLE_LINE: i32 = 26;
/// Room between the subtitle and the legend.
const LEGEND_GAP: i32 = 6;
/// Height of a row of legend entries, and of each further line of a
/// label that wraps.
const LEGEND_ROW: i32 = 26;
pub const LEGEND_LINE: i32 = 21;
/// From the left of a legend entry (its swatch) to its label.
pub const LEGEND_LABEL_OFFSET: i32 = 34;
/// From the top of a legend row to the middle of its swatches.
pub const LEGEND_SWATCH_MIDDLE: i32 = 9;
/// Room after a legend entry's label.
const LEGEND_ENTRY_GAP: i32 = 28;
/// Room between the header and the body.
const HEADER_GAP: i32 = 8;

/// How much room a legend entry's label takes: its widest line and its
/// number of lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabelSize {
    pub width: i32,
    pub lines: usize,
}

/// What a header holds: lines of title and of subtitle, and legend
/// entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderSpec {
    pub format: Format,
    pub title_lines: usize,
    pub subtitle_lines: usize,
    pub legend: Vec<LabelSize>,
}

/// Where the title, the subtitle lines and the legend entries of a chart
/// go, and the body left below them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Top left of each title line.
    pub titles: Vec<Point>,
    /// Top left of each subtitle line.
    pub subtitles: Vec<Point>,
    /// Top left of each legend entry: its swatch, then its label
    /// [`LEGEND_LABEL_OFFSET`] to the right, its further lines
    /// [`LEGEND_LINE`] apart.
    pub legend: Vec<Point>,
    /// The rest of the page.
    pub body: Rect,
}

/// How wide a legend label may be in `page` before it wraps.
pub fn legend_label_room(page: Rect, format: Format) -> i32 {
    page.width() - 2 * format.margin() - LEGEND_LABEL_OFFSET
}

/// The header of `page` as `spec` says, the legend entries in rows that
/// wrap before the right margin.
pub fn header(page: Rect, spec: &HeaderSpec) -> Header {
    let format = spec.format;
    let left = page.x0 + format.margin();
    let right = page.x1 - format.margin();
    let (title_line, title_height, subtitle_line) = match format {
        Format::Wide => (TITLE_LINE, TITLE_HEIGHT, SUBTITLE_LINE),
        Format::Narrow => (NARROW_TITLE_LINE, NARROW_TITLE_HEIGHT, NARROW_SUBTITLE_LINE),
    };
    let title_lines = spec.title_lines.max(1) as i32;
    let mut y = page.y0 + format.title_top();
    let titles: Vec<Point> = (0..title_lines)
        .map(|k| (left, y + k * title_line))
        .collect();
    y += (title_lines - 1) * title_line + title_height;
    let mut subtitles = Vec::with_capacity(spec.subtitle_lines);
    for _ in 0..spec.subtitle_lines {
        subtitles.push((left, y));
        y += subtitle_line;
    }
    let mut legend = Vec::with_capacity(spec.legend.len());
    if !spec.legend.is_empty() {
        y += LEGEND_GAP;
        let mut x = left;
        let mut row_lines = 1;
        for label in &spec.legend {
            let width = LEGEND_LABEL_OFFSET + label.width + LEGEND_ENTRY_GAP;
            if x > left && x + width > right {
                x = left;
                y += LEGEND_ROW + LEGEND_LINE * (row_lines as i32 - 1);
                row_lines = 1;
            }
            legend.push((x, y));
            row_lines = row_lines.max(label.lines.max(1));
            x += width;
        }
        y += LEGEND_ROW + LEGEND_LINE * (row_lines as i32 - 1);
    }
    Header {
        titles,
        subtitles,
        legend,
        body: page.split_top(y + HEADER_GAP - page.y0).1,
    }
}

// ---------------------------------------------------------------- plots

/// Room plotters leaves around a plot inside its area: left of the
/// vertical axis labels, right of the plot, above it.
pub const PLOT_MARGIN_LEFT: u32 = 10;
pub const PLOT_MARGIN_RIGHT: u32 = 24;
pub const PLOT_MARGIN_TOP: u32 = 8;
/// Room under a plot for the tick labels and description of its
/// horizontal axis.
pub const X_LABEL_HEIGHT: u32 = 58;
/// Room beside the widest tick label of a vertical axis for its
/// description and some air, and the least room given.
const Y_LABEL_EXTRA: i32 = 52;
const Y_LABEL_MIN: i32 = 70;

/// Room left of a plot for its vertical axis, whose widest tick label is
/// `widest_tick_label` pixels wide.
pub fn y_label_width(widest_tick_label: i32) -> u32 {
    (widest_tick_label + Y_LABEL_EXTRA).max(Y_LABEL_MIN) as u32
}

/// Pixels a plot's area has around the plot itself, across and down,
/// besides the room for the vertical axis.
pub const PLOT_FRAME: (u32, u32) = (
    PLOT_MARGIN_LEFT + PLOT_MARGIN_RIGHT,
    PLOT_MARGIN_TOP + X_LABEL_HEIGHT,
);

// ---------------------------------------------------------------- panels

/// Columns of a grid of `panels` small multiples, at most `most`.
pub fn columns(panels: usize, most: usize) -> usize {
    panels.clamp(1, most)
}

/// Rows of a grid of `panels` small multiples in at most `most` columns.
pub fn rows(panels: usize, most: usize) -> usize {
    panels.max(1).div_ceil(columns(panels, most))
}

/// The cells of a grid of `panels` small multiples in at most `most`
/// columns filling `body`, row by row; the last row may have cells to
/// spare.
pub fn panels(body: Rect, panels: usize, most: usize) -> Vec<Rect> {
    body.grid(rows(panels, most), columns(panels, most))
}

/// From the top of a panel to its first caption line.
const CAPTION_TOP: i32 = 6;
/// Height of a line of a scenario's name in a caption.
const NAME_LINE: i32 = 24;

/// How a panel's caption is set: its scenario's name, then lines of notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaptionStyle {
    /// Height of a line of notes.
    pub note_line: i32,
    /// Room under the last line.
    pub padding: i32,
}

/// Histograms and the sweep: the name and its figures, in lines as high.
pub const PANEL_CAPTION: CaptionStyle = CaptionStyle {
    note_line: NAME_LINE,
    padding: 0,
};
/// Fan charts.
pub const FAN_CAPTION: CaptionStyle = CaptionStyle {
    note_line: 20,
    padding: 4,
};
/// Maps.
pub const MAP_CAPTION: CaptionStyle = CaptionStyle {
    note_line: 20,
    padding: 6,
};

impl CaptionStyle {
    /// Height of a caption of `name_lines` and `note_lines` lines.
    pub fn height(&self, name_lines: usize, note_lines: usize) -> i32 {
        CAPTION_TOP
            + NAME_LINE * name_lines as i32
            + self.note_line * note_lines as i32
            + self.padding
    }
}

/// A panel split into its caption and its plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caption {
    /// The band of the caption's text.
    pub text: Rect,
    /// The rest of the panel, under the caption.
    pub plot: Rect,
    inset: i32,
    name_lines: usize,
    note_line: i32,
}

impl Caption {
    /// The caption of `name_lines` and `note_lines` lines at the top of
    /// `panel`, its text `inset` pixels from the panel's left.
    pub fn new(
        panel: Rect,
        inset: i32,
        name_lines: usize,
        note_lines: usize,
        style: CaptionStyle,
    ) -> Self {
        let (text, plot) = panel.split_top(style.height(name_lines, note_lines));
        Caption {
            text,
            plot,
            inset,
            name_lines,
            note_line: style.note_line,
        }
    }

    /// Top left of line `k` of the name.
    pub fn name_line(&self, k: usize) -> Point {
        self.text
            .at((self.inset, CAPTION_TOP + NAME_LINE * k as i32))
    }

    /// Top left of line `k` of the notes.
    pub fn note_line(&self, k: usize) -> Point {
        let (x, y) = self.name_line(self.name_lines);
        (x, y + self.note_line * k as i32)
    }
}

/// Room between a scenario's name and its figures on one line.
pub const NAME_GAP: i32 = 14;

/// Whether a name and its figures, `name_width` and `figures_width`
/// pixels wide, fit on one line of a panel as wide as the page.
pub fn fits_on_one_line(page_width: i32, name_width: i32, figures_width: i32) -> bool {
    name_width + NAME_GAP + figures_width <= page_width - 2 * PAGE_MARGIN
}

/// Calibration: one panel per observed quantity, at most two side by side.
pub const CALIBRATION_COLUMNS: usize = 2;
/// Height of a row of calibration panels.
pub const CALIBRATION_ROW: u32 = 560;
/// Height of the calibration chart's header and margins.
pub const CALIBRATION_FIXED: u32 = 200;

/// Histograms: one panel per scenario, stacked.
pub const HISTOGRAM_ROW: u32 = 300;
/// Histograms: the page but the panels.
pub const HISTOGRAM_FIXED: u32 = 190;
/// Histograms laid out for a phone: a panel's plot, its axes included.
pub const NARROW_HISTOGRAM_PLOT: u32 = 250;

/// Fan charts: panels per row.
pub const FAN_COLUMNS: usize = 3;
/// Fan charts: height of a row of panels, and of the page but the rows.
pub const FAN_ROW: u32 = 560;
pub const FAN_FIXED: u32 = 180;
/// Fan charts: room beside the texts of a panel.
pub const FAN_TEXT_INSET: i32 = 16;
/// Fan charts: how much narrower than its panel a caption line is.
pub const FAN_TEXT_MARGIN: i32 = 30;

/// The sweep chart: its height with one plot, and with two.
pub const SWEEP_HEIGHT: u32 = 800;
pub const SWEEP_HEIGHT_TWO_PLOTS: u32 = 1100;

// ---------------------------------------------------------------- rows on a log axis

/// Rows on a log axis: the page but the rows, per row of text, per row.
pub const LOG_ROWS_FIXED: u32 = 230;
pub const LOG_ROWS_TEXT_LINE: u32 = 22;
pub const LOG_ROWS_ROW: u32 = 24;
/// The label column: narrowest, and room right of its widest text.
const LABEL_COLUMN_MIN: i32 = 100;
const LABEL_COLUMN_PADDING: i32 = 40;
/// Room left of a row's texts.
pub const ROW_TEXT_INSET: i32 = 16;
/// Height of a row's label, and of each of its notes.
const ROW_LABEL_LINE: i32 = 24;
const ROW_NOTE_LINE: i32 = 20;
/// Room left of the plot when its vertical axis has no labels.
pub const BARE_Y_AXIS: u32 = 8;

/// Rows stacked across a narrow chart, their texts above their marks: a
/// line of text, the band of the marks at a row's foot, room above the
/// first line.
const STACKED_ROW_LINE: i32 = 21;
pub const STACKED_ROW_MARKS: i32 = 34;
const STACKED_ROW_TOP: i32 = 6;

/// Height of a stacked row with `lines` lines of text.
pub fn stacked_row_height(lines: usize) -> u32 {
    (STACKED_ROW_TOP + STACKED_ROW_LINE * lines.max(1) as i32 + STACKED_ROW_MARKS) as u32
}

/// Height of `rows` stacked rows of `lines` lines of text each, with the
/// room a plot leaves for its axes.
pub fn stacked_rows_height(rows: usize, lines: usize) -> u32 {
    stacked_row_height(lines) * rows.max(1) as u32 + PLOT_FRAME.1
}

/// Top left of line `k` of a stacked row whose top left is `top_left`.
pub fn stacked_row_line(top_left: Point, k: usize) -> Point {
    (
        top_left.0 + ROW_TEXT_INSET,
        top_left.1 + STACKED_ROW_TOP + STACKED_ROW_LINE * k as i32,
    )
}

/// The label column (as wide as its widest text and some room, at most
/// half the body) and the plot right of it.
pub fn label_column(body: Rect, widest_text: i32) -> (Rect, Rect) {
    let width = widest_text.clamp(LABEL_COLUMN_MIN, body.width() / 2) + LABEL_COLUMN_PADDING;
    body.split_left(width)
}

/// The band behind a row across the label column, up to the plot, from
/// `top` to `bottom`.
pub fn label_band(labels: Rect, top: i32, bottom: i32) -> Rect {
    Rect::new(
        labels.x0,
        top,
        labels.x1 + (PLOT_MARGIN_LEFT + BARE_Y_AXIS) as i32,
        bottom,
    )
}

/// Top left of a row's label and of each of its `notes` note lines,
/// the block centred on the row's middle `middle`.
pub fn row_texts(labels: Rect, middle: i32, notes: usize) -> (Point, Vec<Point>) {
    let height = ROW_LABEL_LINE + ROW_NOTE_LINE * notes as i32;
    let label = (labels.x0 + ROW_TEXT_INSET, middle - height / 2);
    let notes = (0..notes as i32)
        .map(|k| (label.0, label.1 + ROW_LABEL_LINE + ROW_NOTE_LINE * k))
        .collect();
    (label, notes)
}

// ---------------------------------------------------------------- maps

/// Maps: panels per row.
pub const MAP_COLUMNS: usize = 3;
/// Maps: height of a row of panels, and of the page but the rows.
pub const MAP_ROW: u32 = 560;
pub const MAP_FIXED: u32 = 250;
/// Height of the colour bar's strip under the maps.
pub const COLOR_BAR_STRIP: u32 = 96;
/// Room between maps side by side, and under a row of maps.
const MAP_GAP: u32 = 12;
const MAP_ROW_GAP: u32 = 8;
/// Room right of the last map.
const MAP_RIGHT: u32 = 16;
/// Room left of a map whose vertical axis the map on its left labels.
const SHARED_AXIS_GAP: u32 = 12;
/// Room between a map's left and its caption.
const MAP_TEXT_INSET: i32 = PLOT_MARGIN_LEFT as i32;
/// How much narrower than its share of the page a caption line is.
const MAP_TEXT_MARGIN: i32 = 40;

/// What the grid of maps is laid out from.
#[derive(Debug, Clone, PartialEq)]
pub struct MapSpec {
    /// Below the header, the colour bar included.
    pub body: Rect,
    /// Room for the widest vertical axis.
    pub label_width: u32,
    /// Every map shows the same part of the same grid: one scale for all,
    /// and only the first column labels the vertical axis.
    pub shared_view: bool,
    /// Lines of the longest name and of the longest notes.
    pub name_lines: usize,
    pub note_lines: usize,
    /// Width and height in metres of the part each map shows.
    pub views: Vec<(f64, f64)>,
    /// Most maps side by side.
    pub columns: usize,
    /// Height of the strip of the colour bar under the maps (see
    /// [`color_bar_height`]).
    pub color_bar_height: u32,
}

/// One map: its caption and its plot (axes included).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapPanel {
    pub caption: Caption,
    pub plot: Rect,
    /// Room left of the map for its vertical axis.
    pub label_width: u32,
    /// Pixels per metre.
    pub scale: f64,
}

/// The maps, and the strip of the colour bar under them.
#[derive(Debug, Clone, PartialEq)]
pub struct MapGrid {
    pub panels: Vec<MapPanel>,
    /// The strip under the maps.
    pub color_bar: Rect,
    /// From the strip's left to the bar's: under the first map's left edge.
    pub color_bar_left: i32,
}

/// How wide a map's caption line may be, in a body `width` pixels wide
/// with maps in `columns` columns, the first `label_width` from its
/// left for its vertical axis: a share of the width, less some room; for
/// maps stacked one per row, up to the right margin.
pub fn map_text_width(width: i32, columns: usize, label_width: u32, format: Format) -> i32 {
    match format {
        Format::Wide => width / columns as i32 - MAP_TEXT_MARGIN,
        Format::Narrow => width - label_width as i32 - MAP_TEXT_INSET - format.margin(),
    }
}

/// Height of maps stacked one per row on a page `width` pixels wide, each
/// as wide as the page allows (on one scale for a shared view), under
/// captions `caption_height` high; with `label_width` pixels for the
/// vertical axis. [`map_grid`] fills a body this high (plus the colour
/// bar) with maps as wide as they can be.
pub fn stacked_maps_height(
    width: u32,
    label_width: u32,
    shared_view: bool,
    caption_height: u32,
    views: &[(f64, f64)],
) -> u32 {
    let (frame_w, frame_h) = PLOT_FRAME;
    let free_w = width.saturating_sub(label_width + frame_w + MAP_RIGHT) as f64;
    let fit = |(w, _): (f64, f64)| free_w / w;
    let common = views.iter().map(|&v| fit(v)).fold(f64::INFINITY, f64::min);
    let tallest = views
        .iter()
        .map(|&v| {
            let scale = if shared_view { common } else { fit(v) };
            (v.1 * scale).ceil() as u32
        })
        .max()
        .unwrap_or(0);
    (caption_height + frame_h + tallest + MAP_ROW_GAP + 1) * views.len().max(1) as u32
}

/// The maps in rows of at most [`MapSpec::columns`], cells square: as large
/// as the body allows, on one scale when the view is shared (so that
/// cells are equally large on every map), each filling its slot
/// otherwise; the rows centred in the height left above the colour bar,
/// each map's bottom edge on its row's.
pub fn map_grid(spec: &MapSpec) -> MapGrid {
    let body = spec.body;
    let (width, full_height) = (body.width() as u32, body.height() as u32);
    let height = full_height.saturating_sub(spec.color_bar_height);
    let n = spec.views.len();
    let (cols, rows) = (columns(n, spec.columns), rows(n, spec.columns));
    let left = |column: usize| {
        if column == 0 || !spec.shared_view {
            spec.label_width
        } else {
            SHARED_AXIS_GAP
        }
    };
    let caption_height = MAP_CAPTION.height(spec.name_lines, spec.note_lines) as u32;
    let (frame_w, frame_h) = PLOT_FRAME;

    let labels: u32 = (0..cols).map(left).sum();
    let gaps = MAP_GAP * (cols as u32 - 1);
    let free_w = width.saturating_sub(labels + gaps + frame_w * cols as u32 + MAP_RIGHT);
    let free_h = (height / rows as u32).saturating_sub(caption_height + frame_h + MAP_ROW_GAP);
    let fit = |(w, h): (f64, f64)| (free_w as f64 / cols as f64 / w).min(free_h as f64 / h);
    let common = spec
        .views
        .iter()
        .map(|&v| fit(v))
        .fold(f64::INFINITY, f64::min);
    let scale = |v: (f64, f64)| if spec.shared_view { common } else { fit(v) };
    let largest = |side: fn((f64, f64)) -> f64| {
        spec.views
            .iter()
            .map(|&v| (side(v) * scale(v)).floor() as u32)
            .max()
            .unwrap_or(0)
    };
    let (map_w, map_h) = (largest(|v| v.0), largest(|v| v.1));
    let row_h = caption_height + map_h + frame_h + MAP_ROW_GAP;
    let top = (height.saturating_sub(row_h * rows as u32) / 2) as i32;

    let panels = spec
        .views
        .iter()
        .enumerate()
        .map(|(i, &view)| {
            let (r, c) = (i / cols, i % cols);
            let x0: u32 = (0..c).map(|k| left(k) + frame_w + map_w + MAP_GAP).sum();
            let y0 = top + (r as u32 * row_h) as i32;
            let px = scale(view);
            let (w, h) = ((view.0 * px).floor(), (view.1 * px).floor());
            let panel_w = (left(c) + frame_w + w.round() as u32) as i32;
            let panel = body.inset(
                (x0 as i32, y0),
                (panel_w, (caption_height + frame_h + map_h) as i32),
            );
            let caption = Caption::new(
                panel,
                left(c) as i32 + MAP_TEXT_INSET,
                spec.name_lines,
                spec.note_lines,
                MAP_CAPTION,
            );
            let plot = caption.plot.inset(
                (0, (map_h as f64 - h).max(0.0).round() as i32),
                (panel_w, (h.round() as u32 + frame_h) as i32),
            );
            MapPanel {
                caption,
                plot,
                label_width: left(c),
                scale: px,
            }
        })
        .collect();
    let strip = body.inset(
        (0, body.height() - spec.color_bar_height as i32),
        (width as i32, spec.color_bar_height as i32),
    );
    MapGrid {
        panels,
        color_bar: strip,
        color_bar_left: left(0) as i32 + MAP_TEXT_INSET,
    }
}

/// The colour bar: from the title's line, its top, width and height.
const BAR_TOP: i32 = 28;
const BAR_WIDTH: i32 = 480;
const BAR_HEIGHT: i32 = 22;
/// Ticks under the bar: their length, and the room above their labels.
const BAR_TICK: i32 = 6;
const BAR_TICK_LABEL: i32 = 9;
/// The swatches right of the bar: room before the first, their width,
/// room before their label and after it.
const SWATCH_GAP: i32 = 56;
const SWATCH_WIDTH: i32 = 30;
const SWATCH_LABEL_OFFSET: i32 = 40;
const SWATCH_LABEL_GAP: i32 = 36;
/// On a narrow chart, the swatches go in rows under the bar's tick
/// labels: from the bar to the first row, from row to row; and the ends
/// of the bar stay this far inside the margins, for their tick labels.
const SWATCH_ROWS_TOP: i32 = 42;
const SWATCH_ROW: i32 = 30;
const NARROW_BAR_INSET: i32 = 14;

/// A colour bar with its title, ticks and swatches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColorBar {
    /// Top left of the title.
    pub title: Point,
    /// The bar.
    pub bar: Rect,
    /// Each swatch and the left middle of its label.
    pub swatches: Vec<(Rect, Point)>,
}

/// The colour bar in `strip` from `left` pixels in, and swatches whose
/// labels are `swatch_label_widths` pixels wide: beside it on a wide
/// chart; on a narrow one, the bar across the strip and the swatches in
/// rows under it.
pub fn color_bar(strip: Rect, left: i32, swatch_label_widths: &[i32], format: Format) -> ColorBar {
    let (left, width) = match format {
        Format::Wide => (left, BAR_WIDTH),
        Format::Narrow => {
            let left = format.margin() + NARROW_BAR_INSET;
            (left, (strip.width() - 2 * left).min(BAR_WIDTH))
        }
    };
    let bar = Rect::new(
        strip.x0 + left,
        strip.y0 + BAR_TOP,
        strip.x0 + left + width,
        strip.y0 + BAR_TOP + BAR_HEIGHT,
    );
    let swatches = match format {
        Format::Wide => {
            let mut x = bar.x1 + SWATCH_GAP;
            swatch_label_widths
                .iter()
                .map(|label| {
                    let swatch = Rect::new(x, bar.y0, x + SWATCH_WIDTH, bar.y1);
                    let at = (x + SWATCH_LABEL_OFFSET, bar.y0 + BAR_HEIGHT / 2);
                    x += SWATCH_LABEL_OFFSET + label + SWATCH_LABEL_GAP;
                    (swatch, at)
                })
                .collect()
        }
        Format::Narrow => narrow_swatches(strip, bar, swatch_label_widths),
    };
    ColorBar {
        title: (bar.x0, strip.y0),
        bar,
        swatches,
    }
}

/// Swatches in rows under a narrow chart's colour bar, a row ending
/// before the strip's margin.
fn narrow_swatches(strip: Rect, bar: Rect, widths: &[i32]) -> Vec<(Rect, Point)> {
    let right = strip.x1 - Format::Narrow.margin();
    let (mut x, mut y) = (bar.x0, bar.y1 + SWATCH_ROWS_TOP);
    widths
        .iter()
        .map(|label| {
            let width = SWATCH_LABEL_OFFSET + label;
            if x > bar.x0 && x + width > right {
                x = bar.x0;
                y += SWATCH_ROW;
            }
            let swatch = Rect::new(x, y, x + SWATCH_WIDTH, y + BAR_HEIGHT);
            let at = (x + SWATCH_LABEL_OFFSET, y + BAR_HEIGHT / 2);
            x += width + SWATCH_LABEL_GAP;
            (swatch, at)
        })
        .collect()
}

/// Height of the strip of the colour bar under a chart's maps, across
/// `body`, with swatches whose labels are `swatch_label_widths` wide.
pub fn color_bar_height(body: Rect, format: Format, swatch_label_widths: &[i32]) -> u32 {
    match format {
        Format::Wide => COLOR_BAR_STRIP,
        Format::Narrow => {
            let strip = Rect::new(body.x0, 0, body.x1, COLOR_BAR_STRIP as i32);
            let bar = color_bar(strip, 0, swatch_label_widths, format);
            let bottom = bar
                .swatches
                .iter()
                .map(|(swatch, _)| swatch.y1)
                .max()
                .unwrap_or(bar.bar.y1);
            (bottom + SWATCH_ROW - BAR_HEIGHT).max(COLOR_BAR_STRIP as i32) as u32
        }
    }
}

impl ColorBar {
    /// The bar cut in `n` slices from left to right, as even as whole
    /// pixels allow.
    pub fn slices(&self, n: i32) -> Vec<Rect> {
        let (x, w) = (self.bar.x0, self.bar.width());
        (0..n)
            .map(|k| Rect::new(x + w * k / n, self.bar.y0, x + w * (k + 1) / n, self.bar.y1))
            .collect()
    }

    /// The tick at `t` in [0, 1] along the bar: its two ends and the top
    /// middle of its label.
    pub fn tick(&self, t: f64) -> (Point, Point, Point) {
        let x = self.bar.x0 + (self.bar.width() as f64 * t).round() as i32;
        let y = self.bar.y1;
        ((x, y), (x, y + BAR_TICK), (x, y + BAR_TICK_LABEL))
    }
}

// ---------------------------------------------------------------- tornado

/// Tornado charts: room left and right of the rows, and between the
/// label column, the plot and the figures.
pub const TORNADO_MARGIN: i32 = PAGE_MARGIN;
pub const TORNADO_GAP: i32 = 18;
/// Narrowest plot, from 0 to 100%.
pub const TORNADO_PLOT_MIN: i32 = 620;
/// Heights: a panel's title, a row (at least), the room between panels,
/// the tick labels under a panel with bars and the axis description
/// under the last of them.
const TORNADO_TITLE: i32 = 36;
pub const TORNADO_ROW: i32 = 50;
const TORNADO_PANEL_GAP: i32 = 14;
const TORNADO_TICKS: i32 = 28;
const TORNADO_AXIS_DESC: i32 = 30;
/// Room under the last panel.
const TORNADO_FOOT: i32 = 12;
/// From a panel's top to its title.
const TORNADO_TITLE_TOP: i32 = 10;
/// Thickness of a bar: at least, and at most.
const TORNADO_BAR_MIN: i32 = 20;
const TORNADO_BAR_MAX: i32 = 32;
/// How far the shading of a row reaches beyond the margins.
const TORNADO_SHADE_OVERHANG: i32 = 8;

/// A tornado panel to lay out: its rows, and whether it has bars (and so
/// an axis under them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TornadoRows {
    pub rows: i32,
    pub bars: bool,
}

/// Width of a tornado chart whose label column and figures are
/// `label_width` and `figures_width` wide.
pub fn tornado_width(label_width: i32, figures_width: i32) -> i32 {
    (2 * TORNADO_MARGIN + label_width + 2 * TORNADO_GAP + TORNADO_PLOT_MIN + figures_width)
        .max(PAGE_WIDTH as i32)
}

/// Height of the panels but their rows.
pub fn tornado_fixed_height(panels: &[TornadoRows]) -> i32 {
    panels
        .iter()
        .map(|p| TORNADO_TITLE + TORNADO_PANEL_GAP + if p.bars { TORNADO_TICKS } else { 0 })
        .sum::<i32>()
        + TORNADO_AXIS_DESC
        + TORNADO_FOOT
}

/// Height of a tornado chart under a header `header` pixels high.
pub fn tornado_height(header: i32, panels: &[TornadoRows]) -> i32 {
    let rows: i32 = panels.iter().map(|p| p.rows).sum();
    (header + tornado_fixed_height(panels) + rows * TORNADO_ROW).max(MIN_PAGE_HEIGHT as i32)
}

/// One tornado panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TornadoPanel {
    /// Top left of the scenario's name.
    pub title: Point,
    /// The rows, across the page between the margins.
    pub rows: Rect,
    /// Top middle of the axis description, under the last panel with bars.
    pub axis_desc: Option<Point>,
}

/// A tornado chart's columns and panels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tornado {
    /// The plot, from 0 to 100%, across.
    pub x0: i32,
    pub x1: i32,
    /// Left of the figures.
    pub figures_x: i32,
    /// Height of a row, and thickness of a bar.
    pub row_height: i32,
    pub bar_height: i32,
    pub panels: Vec<TornadoPanel>,
}

/// The tornado chart in `body`: rows that grow (up to twice their least
/// height) to fill a chart held at its least height, the plot between the
/// label column and the figures.
pub fn tornado(
    body: Rect,
    label_width: i32,
    figures_width: i32,
    panels: &[TornadoRows],
) -> Tornado {
    let rows: i32 = panels.iter().map(|p| p.rows).sum();
    let row_height = ((body.height() - tornado_fixed_height(panels)) / rows.max(1))
        .clamp(TORNADO_ROW, 2 * TORNADO_ROW);
    let bar_height = (row_height * 2 / 5).clamp(TORNADO_BAR_MIN, TORNADO_BAR_MAX);
    let x0 = body.x0 + TORNADO_MARGIN + label_width + TORNADO_GAP;
    let x1 = body.x1 - TORNADO_MARGIN - figures_width - TORNADO_GAP;
    Tornado {
        x0,
        x1,
        figures_x: x1 + TORNADO_GAP,
        row_height,
        bar_height,
        panels: tornado_panels(body, TORNADO_MARGIN, (x0, x1), row_height, panels),
    }
}

/// Tornado charts laid out for a phone: a row's label and figures on a
/// line above its bar, the bars across the page; the least room the tick
/// labels need at the ends of the axis.
pub const NARROW_TORNADO_ROW: i32 = 54;
const NARROW_TORNADO_BAR: i32 = 14;
const NARROW_TORNADO_AXIS_START: i32 = 10;
const NARROW_TORNADO_AXIS_END: i32 = 22;

/// Height of a narrow tornado chart under a header `header` pixels high.
pub fn narrow_tornado_height(header: i32, panels: &[TornadoRows]) -> i32 {
    let rows: i32 = panels.iter().map(|p| p.rows).sum();
    header + tornado_fixed_height(panels) + rows * NARROW_TORNADO_ROW
}

/// The tornado chart in `body` laid out for a phone: rows of
/// [`NARROW_TORNADO_ROW`], the plot from margin to margin; the figures
/// end at the plot's right end ([`Tornado::figures_x`]).
pub fn narrow_tornado(body: Rect, panels: &[TornadoRows]) -> Tornado {
    let margin = Format::Narrow.margin();
    let x0 = body.x0 + margin + NARROW_TORNADO_AXIS_START;
    let x1 = body.x1 - margin - NARROW_TORNADO_AXIS_END;
    Tornado {
        x0,
        x1,
        figures_x: x1,
        row_height: NARROW_TORNADO_ROW,
        bar_height: NARROW_TORNADO_BAR,
        panels: tornado_panels(body, margin, (x0, x1), NARROW_TORNADO_ROW, panels),
    }
}

/// The panels of a tornado chart stacked in `body`, their rows
/// `row_height` high between the margins, the plot from `x0` to `x1`.
fn tornado_panels(
    body: Rect,
    margin: i32,
    (x0, x1): (i32, i32),
    row_height: i32,
    panels: &[TornadoRows],
) -> Vec<TornadoPanel> {
    let last_with_bars = panels.iter().rposition(|p| p.bars);
    let mut top = body.y0;
    let mut laid = Vec::with_capacity(panels.len());
    for (k, panel) in panels.iter().enumerate() {
        let rows_top = top + TORNADO_TITLE;
        let rows_bottom = rows_top + panel.rows * row_height;
        let mut axis_desc = None;
        top = rows_bottom;
        if panel.bars {
            top += TORNADO_TICKS;
            if Some(k) == last_with_bars {
                axis_desc = Some(((x0 + x1) / 2, top));
                top += TORNADO_AXIS_DESC;
            }
        }
        top += TORNADO_PANEL_GAP;
        laid.push(TornadoPanel {
            title: (
                body.x0 + margin,
                rows_top - TORNADO_TITLE + TORNADO_TITLE_TOP,
            ),
            rows: Rect::new(body.x0 + margin, rows_top, body.x1 - margin, rows_bottom),
            axis_desc,
        });
    }
    laid
}

impl Tornado {
    /// The horizontal pixel of a share `v` (clamped to [0, 1]).
    pub fn x(&self, v: f64) -> i32 {
        self.x0 + (v.clamp(0.0, 1.0) * (self.x1 - self.x0) as f64).round() as i32
    }

    /// The top of row `k` of `panel`.
    pub fn row_top(&self, panel: &TornadoPanel, k: usize) -> i32 {
        panel.rows.y0 + k as i32 * self.row_height
    }

    /// The vertical middle of row `k` of `panel`.
    pub fn row_middle(&self, panel: &TornadoPanel, k: usize) -> i32 {
        panel.rows.y0 + k as i32 * self.row_height + self.row_height / 2
    }

    /// The shaded band behind row `k` of `panel`, beyond the margins.
    pub fn row_band(&self, panel: &TornadoPanel, k: usize) -> Rect {
        let y = panel.rows.y0 + k as i32 * self.row_height;
        Rect::new(
            panel.rows.x0 - TORNADO_SHADE_OVERHANG,
            y,
            panel.rows.x1 + TORNADO_SHADE_OVERHANG,
            y + self.row_height,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No two rectangles share a pixel.
    fn disjoint(rects: &[Rect]) -> bool {
        rects
            .iter()
            .enumerate()
            .all(|(i, a)| rects[i + 1..].iter().all(|b| !a.overlaps(b)))
    }

    /// The header of a wide chart with one title line.
    fn wide_header(page: Rect, subtitle_lines: usize, legend_widths: &[i32]) -> Header {
        let legend = legend_widths
            .iter()
            .map(|&width| LabelSize { width, lines: 1 })
            .collect();
        header(
            page,
            &HeaderSpec {
                format: Format::Wide,
                title_lines: 1,
                subtitle_lines,
                legend,
            },
        )
    }

    fn area(r: &Rect) -> i64 {
        r.width() as i64 * r.height() as i64
    }

    #[test]
    fn grids_tile_their_rectangle() {
        for (rows, cols) in [(1, 1), (1, 3), (2, 3), (4, 3), (12, 1), (5, 2)] {
            let outer = Rect::new(7, 150, 1207, 3841);
            let cells = outer.grid(rows, cols);
            assert_eq!(cells.len(), rows * cols);
            assert!(disjoint(&cells));
            assert!(cells.iter().all(|c| outer.contains(c)));
            assert_eq!(cells.iter().map(area).sum::<i64>(), area(&outer));
            // As even as whole pixels allow.
            let heights: Vec<i32> = cells.iter().map(Rect::height).collect();
            let widths: Vec<i32> = cells.iter().map(Rect::width).collect();
            for sizes in [heights, widths] {
                let (lo, hi) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
                assert!(hi - lo <= 1, "{sizes:?}");
            }
        }
    }

    #[test]
    fn splits_and_insets_follow_plotters() {
        let r = Rect::new(10, 20, 110, 220);
        assert_eq!(
            r.split_top(30),
            (Rect::new(10, 20, 110, 50), Rect::new(10, 50, 110, 220))
        );
        assert_eq!(
            r.split_left(40),
            (Rect::new(10, 20, 50, 220), Rect::new(50, 20, 110, 220))
        );
        assert_eq!(r.inset((5, 6), (20, 30)), Rect::new(15, 26, 35, 56));
        // The corner stays inside; the far sides may lie outside.
        assert_eq!(r.inset((500, 6), (20, 30)), Rect::new(110, 26, 130, 56));
        assert_eq!(r.inset((5, 6), (-3, 30)), Rect::new(15, 26, 15, 56));
    }

    #[test]
    fn panels_go_in_rows_of_at_most_three() {
        let shape = |n| (rows(n, 3), columns(n, 3));
        assert_eq!(shape(0), (1, 1));
        assert_eq!(shape(1), (1, 1));
        assert_eq!(shape(2), (1, 2));
        assert_eq!(shape(3), (1, 3));
        assert_eq!(shape(4), (2, 3));
        assert_eq!(shape(7), (3, 3));
        assert_eq!(shape(12), (4, 3));
        assert_eq!((rows(5, 1), columns(5, 1)), (5, 1));
    }

    #[test]
    fn the_header_wraps_its_legend_inside_the_margins() {
        let page = Rect::page(1200, 800);
        let h = wide_header(page, 2, &[300, 400, 500, 100]);
        assert_eq!(h.titles, vec![(24, 18)]);
        assert_eq!(h.subtitles, vec![(24, 60), (24, 86)]);
        // 362 + 462 fit in 1152 pixels, the third entry wraps, the fourth
        // follows it.
        assert_eq!(h.legend, vec![(24, 118), (386, 118), (24, 144), (586, 144)]);
        assert_eq!(h.body, Rect::new(0, 178, 1200, 800));
        for (&(x, _), w) in h.legend.iter().zip([300, 400, 500, 100]) {
            assert!(x >= PAGE_MARGIN && x + LEGEND_LABEL_OFFSET + w <= 1200 - PAGE_MARGIN);
        }
        // Without a legend, the body starts under the subtitle.
        assert_eq!(wide_header(page, 1, &[]).body.y0, 60 + 26 + 8);
        // An entry wider than the page gets a row of its own.
        let wide = wide_header(page, 0, &[2000, 10]);
        assert_eq!(wide.legend, vec![(24, 66), (24, 92)]);
    }

    #[test]
    fn histogram_panels_are_tall_enough_for_any_number_of_scenarios() {
        for n in 1..=12u32 {
            let page = Rect::page(PAGE_WIDTH, page_height(HISTOGRAM_FIXED, HISTOGRAM_ROW, n));
            let body = wide_header(page, 1, &[40, 420]).body;
            let cells = panels(body, n as usize, 1);
            assert_eq!(cells.len(), n as usize);
            assert!(disjoint(&cells));
            for cell in &cells {
                assert!(body.contains(cell));
                let caption = Caption::new(*cell, PAGE_MARGIN, 1, 1, PANEL_CAPTION);
                assert!(caption.plot.height() >= 180, "{n} panels: {cell:?}");
                assert!(caption.note_line(0).1 + NAME_LINE <= caption.plot.y0);
            }
        }
    }

    #[test]
    fn fan_panels_tile_the_body() {
        for n in 1..=12usize {
            let r = rows(n, FAN_COLUMNS) as u32;
            let page = Rect::page(PAGE_WIDTH, page_height(FAN_FIXED, FAN_ROW, r));
            let body = wide_header(page, 1, &[80, 220, 120]).body;
            let cells = panels(body, n, FAN_COLUMNS);
            assert!(cells.len() >= n && cells.len() < n + FAN_COLUMNS);
            assert!(disjoint(&cells));
            assert_eq!(cells.iter().map(area).sum::<i64>(), area(&body));
            for cell in &cells {
                let caption = Caption::new(*cell, FAN_TEXT_INSET, 3, 2, FAN_CAPTION);
                assert!(caption.plot.height() >= 350, "{n}: {caption:?}");
                assert!(cell.width() >= 390);
            }
        }
    }

    #[test]
    fn captions_hold_their_lines() {
        let panel = Rect::new(100, 200, 500, 700);
        let c = Caption::new(panel, 16, 2, 2, FAN_CAPTION);
        assert_eq!(c.name_line(0), (116, 206));
        assert_eq!(c.name_line(1), (116, 230));
        assert_eq!(c.note_line(0), (116, 254));
        assert_eq!(c.note_line(1), (116, 274));
        assert_eq!(c.text, Rect::new(100, 200, 500, 298));
        assert_eq!(c.plot, Rect::new(100, 298, 500, 700));
        assert!(c.note_line(1).1 + 20 <= c.plot.y0);
        // Histograms: the figures under the name, or beside it.
        let h = Caption::new(panel, 24, 1, 1, PANEL_CAPTION);
        assert_eq!((h.name_line(0), h.note_line(0)), ((124, 206), (124, 230)));
        assert_eq!(h.plot.y0, 254);
        assert_eq!(Caption::new(panel, 24, 1, 0, PANEL_CAPTION).plot.y0, 230);
        assert!(fits_on_one_line(1200, 500, 600));
        assert!(!fits_on_one_line(1200, 500, 700));
    }

    fn map_spec(views: Vec<(f64, f64)>, shared_view: bool) -> MapSpec {
        let rows = rows(views.len(), MAP_COLUMNS) as u32;
        let page = Rect::page(MAP_PAGE_WIDTH, page_height(MAP_FIXED, MAP_ROW, rows));
        MapSpec {
            body: wide_header(page, 3, &[380]).body,
            label_width: 96,
            shared_view,
            name_lines: 2,
            note_lines: 1,
            views,
            columns: MAP_COLUMNS,
            color_bar_height: COLOR_BAR_STRIP,
        }
    }

    #[test]
    fn maps_keep_square_cells_and_do_not_overlap() {
        let cases = [
            (vec![(5000.0, 5000.0); 3], true),
            (vec![(2000.0, 1000.0); 7], true),
            (
                vec![
                    (1000.0, 900.0),
                    (4000.0, 500.0),
                    (300.0, 1200.0),
                    (800.0, 800.0),
                ],
                false,
            ),
            (vec![(1500.0, 1100.0)], false),
        ];
        for (views, shared) in cases {
            let spec = map_spec(views.clone(), shared);
            let grid = map_grid(&spec);
            assert_eq!(grid.panels.len(), views.len());
            let boxes: Vec<Rect> = grid
                .panels
                .iter()
                .flat_map(|p| [p.caption.text, p.plot])
                .chain([grid.color_bar])
                .collect();
            assert!(disjoint(&boxes), "{boxes:?}");
            for (p, &(w, h)) in grid.panels.iter().zip(&views) {
                assert!(spec.body.contains(&p.plot), "{p:?} outside {:?}", spec.body);
                // The map inside the plot area, square cells to a pixel.
                let map_w = p.plot.width() - (p.label_width + PLOT_FRAME.0) as i32;
                let map_h = p.plot.height() - PLOT_FRAME.1 as i32;
                // Each map fills its slot one way at least.
                assert!(map_w.max(map_h) >= 300, "{p:?}");
                assert!((map_w as f64 - w * p.scale).abs() <= 1.0);
                assert!((map_h as f64 - h * p.scale).abs() <= 1.0);
                assert!(p.caption.text.y1 <= p.plot.y0);
            }
            if shared {
                assert!(grid.panels.windows(2).all(|w| w[0].scale == w[1].scale));
                // Only the first column labels the vertical axis.
                for (i, p) in grid.panels.iter().enumerate() {
                    let first = i % MAP_COLUMNS == 0;
                    assert_eq!(p.label_width == spec.label_width, first);
                }
            }
            assert_eq!(grid.color_bar.y1, spec.body.y1);
            assert_eq!(grid.color_bar.height(), COLOR_BAR_STRIP as i32);
        }
    }

    #[test]
    fn a_narrow_chart_stacks_its_maps_and_keeps_everything_inside_a_phone_width() {
        let width = NARROW_PAGE_WIDTH as i32;
        let legend = [120, 260, 90];
        let head = header(
            Rect::page(NARROW_PAGE_WIDTH, 2000),
            &HeaderSpec {
                format: Format::Narrow,
                title_lines: 2,
                subtitle_lines: 3,
                legend: legend
                    .iter()
                    .map(|&width| LabelSize { width, lines: 1 })
                    .collect(),
            },
        );
        assert!(
            head.titles
                .iter()
                .all(|&(x, _)| x == Format::Narrow.margin())
        );
        for (&(x, _), w) in head.legend.iter().zip(legend) {
            assert!(x + LEGEND_LABEL_OFFSET + w <= width - Format::Narrow.margin());
        }
        let swatches = [150, 200];
        let body = head.body;
        for views in [
            vec![(5000.0, 5000.0); 3],
            vec![(2000.0, 1000.0), (800.0, 1600.0)],
        ] {
            let shared = views.windows(2).all(|w| w[0] == w[1]);
            let grid = map_grid(&MapSpec {
                body,
                label_width: 80,
                shared_view: shared,
                name_lines: 2,
                note_lines: 2,
                views: views.clone(),
                columns: Format::Narrow.most_columns(MAP_COLUMNS),
                color_bar_height: color_bar_height(body, Format::Narrow, &swatches),
            });
            // One column: each map under the one before, each inside the
            // page's width.
            for pair in grid.panels.windows(2) {
                assert_eq!(pair[0].plot.x0, pair[1].plot.x0);
                assert!(pair[0].plot.y1 <= pair[1].caption.text.y0, "{pair:?}");
            }
            for p in &grid.panels {
                assert!(body.contains(&p.plot), "{p:?} outside {body:?}");
                assert!(p.plot.x1 <= width);
            }
            let bar = color_bar(
                grid.color_bar,
                grid.color_bar_left,
                &swatches,
                Format::Narrow,
            );
            assert!(bar.bar.x0 >= 0 && bar.bar.x1 <= width, "{bar:?}");
            for &(swatch, (x, _)) in &bar.swatches {
                assert!(swatch.x0 >= 0 && x <= width, "{bar:?}");
                assert!(
                    swatch.y1 <= grid.color_bar.y1,
                    "{bar:?} below {:?}",
                    grid.color_bar
                );
            }
        }
    }

    #[test]
    fn the_colour_bar_is_sliced_evenly_and_its_swatches_follow_it() {
        let strip = Rect::new(0, 1000, 1500, 1096);
        let bar = color_bar(strip, 106, &[150, 200], Format::Wide);
        assert_eq!(bar.title, (106, 1000));
        assert_eq!(bar.bar, Rect::new(106, 1028, 586, 1050));
        let slices = bar.slices(160);
        assert!(disjoint(&slices));
        assert_eq!(slices.iter().map(area).sum::<i64>(), area(&bar.bar));
        assert_eq!(bar.tick(0.0).0, (106, 1050));
        assert_eq!(bar.tick(1.0).2, (586, 1059));
        let (first, second) = (bar.swatches[0], bar.swatches[1]);
        assert_eq!(first, (Rect::new(642, 1028, 672, 1050), (682, 1039)));
        assert_eq!(second.0.x0, 682 + 150 + 36);
        assert!(disjoint(&[bar.bar, first.0, second.0]));
    }

    #[test]
    fn log_rows_leave_a_label_column() {
        let body = Rect::new(0, 200, 1200, 1000);
        assert_eq!(label_column(body, 50).0, Rect::new(0, 200, 140, 1000));
        assert_eq!(label_column(body, 300).1, Rect::new(340, 200, 1200, 1000));
        assert_eq!(label_column(body, 5000).0.width(), 640);
        let (labels, _) = label_column(body, 300);
        let (label, notes) = row_texts(labels, 500, 2);
        // 24 + 2 × 20 pixels of text centred on 500.
        assert_eq!(label, (16, 468));
        assert_eq!(notes, vec![(16, 492), (16, 512)]);
        assert_eq!(label_band(labels, 480, 520), Rect::new(0, 480, 358, 520));
    }

    #[test]
    fn tornado_panels_stack_without_overlap() {
        let panels = [
            TornadoRows {
                rows: 4,
                bars: true,
            },
            TornadoRows {
                rows: 1,
                bars: false,
            },
            TornadoRows {
                rows: 6,
                bars: true,
            },
        ];
        let width = tornado_width(300, 200);
        assert_eq!(width, 24 * 2 + 300 + 36 + 620 + 200);
        let header_height = 180;
        let height = tornado_height(header_height, &panels);
        let body = Rect::new(0, header_height, width, height);
        let t = tornado(body, 300, 200, &panels);
        assert_eq!(t.x1 - t.x0, TORNADO_PLOT_MIN);
        assert_eq!(t.row_height, TORNADO_ROW);
        let rows: Vec<Rect> = t.panels.iter().map(|p| p.rows).collect();
        assert!(disjoint(&rows));
        assert!(rows.iter().all(|r| body.contains(r)));
        // The axis description under the last panel with bars only.
        assert_eq!(t.panels[2].axis_desc.map(|p| p.1), Some(rows[2].y1 + 28));
        assert!(t.panels[..2].iter().all(|p| p.axis_desc.is_none()));
        assert_eq!(rows[2].y1 + 28 + 30 + 14 + 12, height);
        // A short chart held at its least height: rows grow, up to twice.
        let tall = tornado(Rect::new(0, 180, 1200, 5000), 200, 100, &panels);
        assert_eq!(tall.row_height, 2 * TORNADO_ROW);
        assert_eq!(tall.bar_height, 32);
        assert_eq!((t.x(0.0), t.x(1.0), t.x(7.0)), (t.x0, t.x1, t.x1));
        assert_eq!(t.row_middle(&t.panels[0], 1), rows[0].y0 + 75);
    }
}
