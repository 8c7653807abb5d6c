//! `report.html`: one self-contained page a journalist can attach to an
//! email and open anywhere, a phone included: the finding in a sentence,
//! the summary table, every chart inline as SVG (laid out for a wide
//! screen and for a phone, the style sheet showing the one that fits), the
//! model's assumptions in plain words and every parameter behind a figure.
//! No scripts, no external files, no network.
//!
//! Mobile first: nothing is wider than a phone's screen. Tables of one row
//! per scenario turn into cards of labelled figures on a narrow screen;
//! wider tables scroll inside their own box.

use std::fmt::Write;

use super::charts::Chart;
use super::palette;
use super::plans_section::PLAN_CHARTS;
use crate::format::{self, about, count, ratio, rounded, three_significant};
use crate::output::table::rounded_texts;
use crate::scenario::{DEFAULT_SCENARIO_NAME, ScenarioFile};
use crate::stats::Summary;
use crate::stats::{RunSummary, ScenarioSummary};

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { font-family: -apple-system, 'Segoe UI', 'DejaVu Sans', Helvetica, Arial, sans-serif;
       max-width: 1240px; margin: 0 auto; padding: 0 12px 2em; color: #222; line-height: 1.45;
       overflow-wrap: break-word; }
h1 { font-size: 1.45em; line-height: 1.2; margin: 0.8em 0 0.4em; }
h2 { font-size: 1.3em; margin-top: 1.8em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
h3 { font-size: 1.1em; margin-top: 1.4em; }
.headline { font-size: 1.2em; line-height: 1.35; font-weight: 600; margin: 0.5em 0;
            padding-left: 0.6em; border-left: 4px solid #d55e00; }
.headline-more { margin: 0.3em 0 0.8em; padding-left: 0.8em; }
.meta { color: #555; }
.scroll { overflow-x: auto; margin: 1em 0; }
table { border-collapse: collapse; margin: 1em 0; }
.scroll > table { margin: 0; }
th, td { padding: 0.35em 0.7em; border-bottom: 1px solid #ddd; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
th { background: #f4f4f4; }
td small { color: #555; }
table.cards td small, table.figures td:not(:first-child) { white-space: nowrap; }
th.group { text-align: left; background: #fafafa; }
table.params th, table.params td { text-align: left; min-width: 7.5em; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.4em; vertical-align: -0.1em; }
figure { margin: 1.5em 0; }
.chart svg { display: block; width: 100%; height: auto; border: 1px solid #eee; }
.chart-wide { display: none; }
.chart-narrow { max-width: 600px; }
figcaption { color: #444; max-width: 60em; margin-top: 0.4em; }
pre { background: #f7f7f7; padding: 1em; overflow-x: auto; font-size: 0.85em; }
code { overflow-wrap: anywhere; }
.note { background: #fff8e6; padding: 0.6em 1em; border-left: 4px solid #e69f00; }
@media (min-width: 900px) {
  body { padding: 0 24px 2em; }
  h1 { font-size: 1.8em; }
  .chart-wide { display: block; }
  .chart-narrow { display: none; }
}
@media (max-width: 699px) {
  table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; width: 100%; }
  table.cards tr.head { display: none; }
  table.cards tr { border: 1px solid #ddd; border-radius: 6px; margin: 0 0 0.8em; padding: 0.2em 0.7em; }
  table.cards td { display: flex; justify-content: space-between; gap: 1em; padding: 0.35em 0;
                   border-bottom: 1px solid #eee; }
  table.cards td:last-child { border-bottom: 0; }
  table.cards td::before { content: attr(data-label); text-align: left; color: #555; }
  table.cards td > span { flex: none; max-width: 65%; }
  table.cards td.name { display: block; font-weight: 600; }
  table.cards td.name::before { content: none; }
}
";

/// The whole page. `charts` is empty when charts were not drawn
/// (`--no-charts`); the page then says so. `inputs_note`, under the
/// introduction, says how the inputs were drawn when not from the scenario
/// file's ranges.
pub fn render(
    file: &ScenarioFile,
    summary: &RunSummary,
    charts: &[Chart],
    inputs_note: Option<&str>,
) -> String {
    let mut h = String::new();
    head(&mut h, &summary.title);
    let _ = writeln!(h, "<h1>{}</h1>", escape(&summary.title));
    let mut sentences = headline(summary).into_iter();
    if let Some(first) = sentences.next() {
        let _ = writeln!(h, "<p class=\"headline\">{}</p>", escape(&first));
    }
    for more in sentences {
        let _ = writeln!(h, "<p class=\"headline-more\">{}</p>", escape(&more));
    }
    let _ = writeln!(
        h,
        "<p class=\"meta\">A Monte Carlo simulation by dudsim {} of unexploded cluster \
         submunitions: {} replicates, seed {}.</p>",
        escape(&summary.dudsim_version),
        count(summary.replicates as f64),
        summary.seed
    );

    summary_table(&mut h, summary);
    let _ = writeln!(
        h,
        "<p>Each replicate is one possible outcome of the scenarios, drawn \
         with the uncertain inputs (dud rates, clearance and encounter rates) varied \
         within the ranges the scenario file gives. Figures are means over the \
         replicates; the ranges in small print hold the middle 90% of them \
         (5th to 95th percentile). Each figure is rounded to the digits its \
         precision supports: the last digit shown is the first the simulation is \
         unsure of. The parameters behind every figure are listed at the end.</p>"
    );
    if let Some(note) = inputs_note {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(note));
    }
    // The run beside past campaigns, right under the figures it frames.
    let (context, rest): (Vec<&Chart>, Vec<&Chart>) =
        charts.iter().partition(|c| c.name == CONTEXT_CHART);
    context.iter().for_each(|c| figure(&mut h, c));
    timeline_table(&mut h, summary);
    let (maps, rest): (Vec<&Chart>, Vec<&Chart>) = rest
        .into_iter()
        .partition(|c| AREA_CHARTS.contains(&c.name.as_str()));
    area_section(&mut h, file, summary, &maps);
    let (plans, rest): (Vec<&Chart>, Vec<&Chart>) = rest
        .into_iter()
        .partition(|c| PLAN_CHARTS.contains(&c.name.as_str()));
    super::plans_section::section(&mut h, file, summary, &plans);

    let _ = writeln!(h, "<h2>Charts</h2>");
    if charts.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"note\">Charts were not drawn for this run (<code>--no-charts</code>).</p>"
        );
    }
    rest.iter().for_each(|c| figure(&mut h, c));

    assumptions(&mut h);
    parameters(&mut h, file, summary);

    footer(&mut h);
    h
}

/// A scenario's name in a sentence.
fn quoted_name(name: &str) -> String {
    format!("\u{201c}{name}\u{201d}")
}

/// `month` or `months`, for `n` of them.
fn units(unit: &str, n: usize) -> String {
    if n == 1 {
        unit.to_string()
    } else {
        super::charts::plural(unit)
    }
}

/// The finding in a sentence, with figures rounded for reading: the
/// scenario that leaves the most live unexploded submunitions against the
/// one that leaves the fewest, and how many times more (one scenario: how
/// many of those fired are left); then, when there is an aftermath, a
/// sentence on what is left of them at the horizon and the casualties.
/// Means over the replicates, as in the summary table.
pub fn headline(summary: &RunSummary) -> Vec<String> {
    let scenarios = &summary.scenarios;
    let Some(first) = scenarios.first() else {
        return Vec::new();
    };
    let uxo = |s: &ScenarioSummary| s.unexploded.mean;
    let horizon = |s: &ScenarioSummary| s.timeline.last().map(|t| (t.live.mean, t.casualties.mean));
    let after = |s: &ScenarioSummary| {
        format!(
            "After {} {}",
            s.timeline.len(),
            units(&summary.step_unit, s.timeline.len())
        )
    };
    let mut sentences = Vec::new();
    if scenarios.len() == 1 {
        let fired = about(first.submunitions.mean);
        sentences.push(if uxo(first) == 0.0 {
            format!(
                "None of the {fired} submunitions fired in {} would be left unexploded.",
                quoted_name(&first.name)
            )
        } else {
            format!(
                "About {} of the {fired} submunitions fired in {} would be left live and \
                 unexploded after the strikes.",
                about(uxo(first)),
                quoted_name(&first.name)
            )
        });
        if let Some((live, casualties)) = horizon(first) {
            sentences.push(format!(
                "{}, about {} would still be live, and about {} people would have been \
                 killed or injured by them.",
                after(first),
                about(live),
                about(casualties)
            ));
        }
        return sentences;
    }

    // The most and the fewest; the first in the file on a tie.
    let most = scenarios
        .iter()
        .reduce(|a, b| if uxo(b) > uxo(a) { b } else { a })
        .unwrap_or(first);
    let fewest = scenarios
        .iter()
        .reduce(|a, b| if uxo(b) < uxo(a) { b } else { a })
        .unwrap_or(first);
    let ratio = uxo(most) / uxo(fewest);
    match format::times(ratio) {
        _ if uxo(most) == 0.0 => sentences.push(format!(
            "None of the {} scenarios would leave any live unexploded submunition.",
            scenarios.len()
        )),
        None if ratio.is_finite() => sentences.push(format!(
            "All {} scenarios would leave about as many live unexploded submunitions \
             after the strikes: about {}.",
            scenarios.len(),
            about(uxo(most))
        )),
        None => sentences.push(format!(
            "About {} live unexploded submunitions would be left by {}, against none by {}.",
            about(uxo(most)),
            quoted_name(&most.name),
            quoted_name(&fewest.name)
        )),
        Some(times) => sentences.push(format!(
            "About {} live unexploded submunitions would be left by {}, against about {} \
             by {}: {times} more.",
            about(uxo(most)),
            quoted_name(&most.name),
            about(uxo(fewest)),
            quoted_name(&fewest.name)
        )),
    }
    // Clearance plans compared: which averts most is the finding a
    // planner reads first.
    if let Some(plans) = plans_sentence(summary) {
        sentences.push(plans);
        return sentences;
    }
    // What is left at the horizon. When the scenarios leave about as many
    // UXO, what sets them apart is what happens next: compare the
    // casualties instead.
    let same = std::ptr::eq(most, fewest) || format::times(ratio).is_none() && ratio.is_finite();
    let (most, fewest) = if same {
        let casualties = |s: &&ScenarioSummary| horizon(s).map_or(f64::NEG_INFINITY, |h| h.1);
        let with_aftermath = || scenarios.iter().filter(|s| horizon(s).is_some());
        let highest = with_aftermath().reduce(|a, b| {
            if casualties(&b) > casualties(&a) {
                b
            } else {
                a
            }
        });
        let lowest = with_aftermath().reduce(|a, b| {
            if casualties(&b) < casualties(&a) {
                b
            } else {
                a
            }
        });
        (highest.unwrap_or(most), lowest.unwrap_or(fewest))
    } else {
        (most, fewest)
    };
    let differ = |a: f64, b: f64| format::times(a / b).is_some() || (b == 0.0 && a > 0.0);
    let with_horizon = scenarios.iter().filter(|s| horizon(s).is_some()).count();
    match (horizon(most), horizon(fewest)) {
        (Some((live, casualties)), Some((live_f, casualties_f)))
            if !std::ptr::eq(most, fewest) && (!same || differ(casualties, casualties_f)) =>
        {
            sentences.push(format!(
                "{}, about {} would still be live and about {} people killed or injured in \
                 {}, against about {} and {} in {}.",
                after(most),
                about(live),
                about(casualties),
                quoted_name(&most.name),
                about(live_f),
                about(casualties_f),
                quoted_name(&fewest.name)
            ));
        }
        (Some((live, casualties)), _) if !same || with_horizon == 1 => {
            sentences.push(format!(
                "{}, about {} would still be live and about {} people killed or injured in {}.",
                after(most),
                about(live),
                about(casualties),
                quoted_name(&most.name)
            ));
        }
        (Some((live, casualties)), _) => {
            sentences.push(format!(
                "{}, about {} would still be live and about {} people killed or injured in \
                 each.",
                after(most),
                about(live),
                about(casualties)
            ));
        }
        _ => {}
    }
    sentences
}

/// When two or more scenarios clear on the map: the plan that averts the
/// most casualties by the horizon against the one that averts the fewest.
fn plans_sentence(summary: &RunSummary) -> Option<String> {
    let plans: Vec<(&ScenarioSummary, f64, f64)> = summary
        .scenarios
        .iter()
        .filter_map(|s| {
            let averted = s.casualties_averted.as_ref()?.mean;
            let casualties = s.timeline.last()?.casualties.mean;
            Some((s, averted, casualties))
        })
        .collect();
    if plans.len() < 2 {
        return None;
    }
    let best = plans.iter().reduce(|a, b| if b.1 > a.1 { b } else { a })?;
    let worst = plans.iter().reduce(|a, b| if b.1 < a.1 { b } else { a })?;
    let horizon = summary.horizon();
    let by = format!("by {} {horizon}", summary.step_unit);
    if std::ptr::eq(best.0, worst.0) || format::times(best.1 / worst.1).is_none() {
        return Some(format!(
            "The {} clearance plans would avert about as many casualties {by}: about {} \
             each.",
            plans.len(),
            about(best.1)
        ));
    }
    Some(format!(
        "Of the clearance plans, {} would avert the most casualties {by}: about {}, \
         against about {} in {} (about {} people killed or injured against {}).",
        quoted_name(&best.0.name),
        about(best.1),
        about(worst.1),
        quoted_name(&worst.0.name),
        about(best.2),
        about(worst.2)
    ))
}

/// The start of a page, up to and including `<body>`: the shared style
/// sheet, and `title` in the browser's tab.
pub(crate) fn head(h: &mut String, title: &str) {
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(title)
    );
}

/// The end of a page: what made it, and the closing tags.
pub(crate) fn footer(h: &mut String) {
    let _ = writeln!(
        h,
        "<hr>\n<p class=\"meta\">Made with dudsim {}, an open-source simulator of \
         unexploded cluster submunitions. Same version, file and seed give the same \
         numbers on any machine.</p>\n</body>\n</html>",
        escape(env!("CARGO_PKG_VERSION"))
    );
}

/// The chart shown under the summary table.
const CONTEXT_CHART: &str = "context";
/// The charts shown in the section on where the duds lie.
const AREA_CHARTS: [&str; 3] = ["density-map", "p-contaminated-map", "contaminated-area"];

/// One chart with its caption: laid out for a wide screen and for a
/// phone, the style sheet showing the one that fits.
pub(crate) fn figure(h: &mut String, chart: &Chart) {
    let _ = writeln!(h, "<figure id=\"{}\">", escape(&chart.name));
    match &chart.page {
        Some(page) => {
            let _ = writeln!(
                h,
                "<div class=\"chart chart-wide\">\n{}</div>\n<div class=\"chart chart-narrow\">\n{}</div>",
                inline_svg(&page.wide, &chart.title),
                inline_svg(&page.narrow, &chart.title)
            );
        }
        None => {
            let _ = writeln!(
                h,
                "<div class=\"chart\">\n{}</div>",
                inline_svg(&chart.svg, &chart.title)
            );
        }
    }
    let _ = writeln!(
        h,
        "<figcaption><strong>{}.</strong> {}</figcaption>\n</figure>",
        escape(&chart.title),
        escape(&chart.caption)
    );
}

/// An SVG document ready to sit inside HTML: no XML declaration, labelled
/// for screen readers.
fn inline_svg(svg: &str, title: &str) -> String {
    let body = match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    };
    body.replacen(
        "<svg",
        &format!("<svg role=\"img\" aria-label=\"{}\"", escape(title)),
        1,
    )
}

/// A mean and, in small print, its 90% interval, rounded to what their
/// precision supports.
fn cell(s: &Summary) -> String {
    cell_in(s, "")
}

/// A mean in `unit` (e.g. " ha", or "" for a count) with its 90% interval
/// in small print, rounded to what their precision supports.
pub(crate) fn cell_in(s: &Summary, unit: &str) -> String {
    match rounded_texts(s) {
        (mean, None) => format!("{mean}{unit}"),
        (mean, Some((p05, p95))) => format!(
            "{mean}{unit}<br><small>{}{unit}</small>",
            escape(&format::range(&p05, &p95))
        ),
    }
}

/// A cell of a table that turns into cards on a phone, labelled there.
fn labelled(label: &str, content: &str) -> String {
    format!(
        "<td data-label=\"{}\"><span>{content}</span></td>",
        escape(label)
    )
}

/// The first cell of a row of such a table: the scenario's name.
fn name_td(i: usize, name: &str) -> String {
    format!("<td class=\"name\">{}</td>", scenario_name(i, name))
}

/// Scenario `i`'s name after a swatch of its colour in the charts.
pub(crate) fn scenario_name(i: usize, name: &str) -> String {
    format!(
        "<span class=\"swatch\" style=\"background:{}\"></span>{}",
        palette::scenario(i).hex(),
        escape(name)
    )
}

/// A row of headings.
fn heading_row(labels: &[String]) -> String {
    let cells: String = labels
        .iter()
        .map(|l| format!("<th>{}</th>", escape(l)))
        .collect();
    format!("<tr class=\"head\">{cells}</tr>")
}

fn summary_table(h: &mut String, summary: &RunSummary) {
    let unit = &summary.step_unit;
    let horizon = summary.horizon();
    let mut labels = vec![
        "Scenario".to_string(),
        "Submunitions fired".to_string(),
        "Unexploded (UXO) after the strikes".to_string(),
    ];
    if horizon > 0 {
        labels.push(format!("Live UXO at {unit} {horizon}"));
        labels.push(format!("Casualties by {unit} {horizon}"));
    }
    labels.push("UXO vs the first scenario".to_string());
    let _ = writeln!(
        h,
        "<h2>Summary</h2>\n<table class=\"cards\">\n{}",
        heading_row(&labels)
    );
    let first = summary
        .scenarios
        .first()
        .map_or(f64::NAN, |s| s.unexploded.mean);
    for (i, s) in summary.scenarios.iter().enumerate() {
        let mut row = vec![
            labelled(&labels[1], &cell(&s.submunitions)),
            labelled(&labels[2], &cell(&s.unexploded)),
        ];
        if horizon > 0 {
            match s.timeline.last() {
                Some(last) => {
                    row.push(labelled(&labels[3], &cell(&last.live)));
                    row.push(labelled(&labels[4], &cell(&last.casualties)));
                }
                None => {
                    row.push(labelled(&labels[3], "no aftermath"));
                    row.push(labelled(&labels[4], "-"));
                }
            }
        }
        let ratio = if i == 0 {
            "reference".to_string()
        } else {
            ratio(s.unexploded.mean / first)
        };
        row.push(labelled(&labels[labels.len() - 1], &escape(&ratio)));
        let _ = writeln!(h, "<tr>{}{}</tr>", name_td(i, &s.name), row.concat());
    }
    let _ = writeln!(h, "</table>");
}

/// Live UXO and casualties at a few points of the horizon.
fn timeline_table(h: &mut String, summary: &RunSummary) {
    let horizon = summary.horizon();
    if horizon == 0 {
        return;
    }
    let mut steps: Vec<usize> = [0.1, 0.2, 0.5, 1.0]
        .iter()
        .map(|f| ((horizon as f64 * f).round() as usize).max(1))
        .collect();
    steps.dedup();
    let unit = escape(&summary.step_unit);
    let _ = writeln!(
        h,
        "<h2>Over time</h2>\n<div class=\"scroll\"><table class=\"figures\">\n<tr><th>Scenario</th><th>After {unit}</th>\
         <th>Live UXO</th><th>Cleared so far</th><th>Casualties so far</th></tr>"
    );
    for (i, s) in summary.scenarios.iter().enumerate() {
        let rows: Vec<_> = steps
            .iter()
            .filter_map(|&step| s.timeline.get(step - 1))
            .collect();
        for (k, t) in rows.iter().enumerate() {
            let name = if k == 0 {
                format!(
                    "<td rowspan=\"{}\">{}</td>",
                    rows.len(),
                    scenario_name(i, &s.name)
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                h,
                "<tr>{name}<td class=\"step\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                t.step,
                cell(&t.live),
                cell(&t.cleared),
                cell(&t.casualties)
            );
        }
    }
    let _ = writeln!(h, "</table></div>");
}

/// An area in km², mean and 90% interval, from a summary in m².
fn area_cell(s: &Summary) -> String {
    let km2 = |m2: f64| three_significant(m2 / 1e6);
    if s.min == s.max {
        format!("{} km²", km2(s.mean))
    } else {
        format!(
            "{} km²<br><small>{} km²</small>",
            km2(s.mean),
            format::range(&km2(s.p05), &km2(s.p95))
        )
    }
}

/// The columns of the table of the areas.
const AREA_LABELS: [&str; 6] = [
    "Scenario",
    "Area mapped",
    "Placed",
    "Contaminated area",
    "UXO in the area",
    "UXO outside the area",
];

/// Where the duds lie: the contaminated area and the UXO outside the
/// mapped area of each scenario with an area, and the maps.
fn area_section(h: &mut String, file: &ScenarioFile, summary: &RunSummary, charts: &[&Chart]) {
    let rows: Vec<_> = file
        .scenarios
        .iter()
        .zip(&summary.scenarios)
        .enumerate()
        .filter_map(|(i, (scenario, s))| Some((i, scenario.area()?, s)))
        .collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<h2>Where the duds lie</h2>\n<p>The <em>contaminated area</em> is the area of \
         the map cells that hold at least one unexploded submunition after the strikes: \
         land that has to be surveyed and cleared before it can be used safely. UXO that \
         fell outside the mapped area are not in it.</p>\n<table class=\"cards\">\n{}",
        heading_row(&AREA_LABELS.map(String::from))
    );
    for (i, area, s) in rows {
        let mapped = format!(
            "{} × {} km, {} m cells",
            three_significant(area.width_m / 1000.0),
            three_significant(area.height_m / 1000.0),
            count(area.cell_m)
        );
        let contaminated = s
            .contaminated_area_m2
            .as_ref()
            .map_or("-".to_string(), area_cell);
        let (inside, outside) = match &s.uxo_outside_area {
            Some(o) => (
                rounded(s.unexploded.mean - o.mean, s.unexploded.se.max(o.se)),
                cell(o),
            ),
            None => ("-".to_string(), "-".to_string()),
        };
        let placed = match &area.georef {
            Some(g) => format!(
                "{} (EPSG:{}), lower-left corner at {:.0} E, {:.0} N",
                g.crs_name(),
                g.epsg(),
                g.origin[0],
                g.origin[1]
            ),
            None => "local metres, from the area's lower-left corner".to_string(),
        };
        let cells = [
            escape(&mapped),
            escape(&placed),
            contaminated,
            inside,
            outside,
        ];
        let row: String = AREA_LABELS[1..]
            .iter()
            .zip(&cells)
            .map(|(label, content)| labelled(label, content))
            .collect();
        let _ = writeln!(h, "<tr>{}{row}</tr>", name_td(i, &s.name));
    }
    let _ = writeln!(
        h,
        "</table>\n<p class=\"meta\">Means over the replicates; the ranges in small print \
         hold the middle 90% of them. UXO in the area: mean. The maps are also written as \
         <code>density.csv</code>, ESRI ASCII grids and GeoTIFF files for GIS tools; an \
         area placed on the Earth also gets <code>.prj</code> files and \
         <code>hazard.geojson</code>, the areas where the chance of at least one UXO \
         reaches 5%, 50% and 95%.</p>"
    );
    charts.iter().for_each(|c| figure(h, c));
}

fn assumptions(h: &mut String) {
    let _ = writeln!(
        h,
        "<h2>What the model assumes</h2>\n<ul>\n\
<li>Each replicate draws one dud rate per munition type for the whole conflict, \
from the range the scenario file gives: that range is our uncertainty about \
the true rate, not variation between shots. The spread of the results comes \
mostly from it.</li>\n\
<li>Every submunition fails to explode independently at that rate (or at a \
per-carrier rate around it, where the file sets lot-to-lot variation). A dud \
whose self-destruct works is harmless; the rest stay live.</li>\n\
<li>After the strikes, each live submunition independently may be cleared \
(while clearance runs), set off by a person, or degrade into harmlessness; \
these causes compete in continuous time, each with its own rate, and what no \
cause removes stays live. The rates are drawn once per replicate.</li>\n\
<li>Where the scenario gives an encounter half-life, the chance that people \
set a submunition off falls over time towards a floor, as after past conflicts \
people learnt where the duds were and areas were marked; without one it stays \
at its first value over the whole horizon.</li>\n\
<li>Each time a person sets one off, the given number of people are killed or \
injured (casualties).</li>\n\
<li>Population movements, returns of displaced people, marking and fencing are \
not modelled apart from what the falling encounter rate stands for.</li>\n\
<li>The ranges shown cover the uncertainty in the inputs of the scenario file. \
They do not cover errors in the model itself or in the published figures the \
inputs come from.</li>\n</ul>"
    );
}

/// Every input behind a figure: the run, the munitions, where the strikes
/// fall and what follows them, each with its unit; then the file itself.
fn parameters(h: &mut String, file: &ScenarioFile, summary: &RunSummary) {
    let sim = &file.simulation;
    let command = if file.source_name == DEFAULT_SCENARIO_NAME {
        format!(
            "dudsim run --seed {} --replicates {}",
            summary.seed, summary.replicates
        )
    } else {
        format!(
            "dudsim run {} --seed {} --replicates {}",
            file.source_name, summary.seed, summary.replicates
        )
    };
    let _ = writeln!(
        h,
        "<h2>Parameters</h2>\n<p>Every input behind the figures above, as the scenario file \
         gives it or the built-in catalog fills it in. A range is drawn once per replicate: \
         it is the uncertainty about the value, not variation from shot to shot.</p>\n\
         <div class=\"scroll\"><table class=\"params\">\n\
         <tr><th>Seed</th><td>{}</td></tr>\n\
         <tr><th>Replicates</th><td>{}</td></tr>\n\
         <tr><th>Aftermath horizon</th><td>{} {}</td></tr>\n\
         <tr><th>Scenario file</th><td>{}</td></tr>\n\
         <tr><th>dudsim version</th><td>{}</td></tr>\n</table></div>\n\
         <p>To reproduce: <code>{}</code></p>",
        summary.seed,
        count(summary.replicates as f64),
        sim.steps,
        escape(&charts_plural(sim.step_unit.name(), sim.steps)),
        escape(&file.source_name),
        escape(&summary.dudsim_version),
        escape(&command)
    );

    let _ = writeln!(
        h,
        "<h3>Munitions</h3>\n<div class=\"scroll\"><table class=\"params\">\n<tr><th>Munition</th>\
         <th>Catalog entry</th><th>Submunitions per carrier</th><th>Dud rate</th>\
         <th>Self-destruct works</th><th>Lot-to-lot concentration</th>\
         <th>Footprint radius</th></tr>"
    );
    for m in &file.munitions {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&m.id),
            escape(m.catalog_id.unwrap_or("none")),
            count(m.submunitions as f64),
            escape(&m.dud_rate.to_string()),
            escape(&m.self_destruct.to_string()),
            m.lot_concentration
                .map_or("none".to_string(), |k| k.to_string()),
            m.footprint_radius_m
                .map_or("-".to_string(), |r| format!("{} m", format::number(r)))
        );
    }
    let _ = writeln!(h, "</table></div>");
    strikes_table(h, file);
    aftermath_table(h, file);
    scenario_file(h, file, "h3");
}

/// The strikes of every scenario: carriers, and for a scenario with an
/// area where they aim, how far they miss (CEP) and how widely each
/// scatters its submunitions (footprint); then the areas mapped.
fn strikes_table(h: &mut String, file: &ScenarioFile) {
    let _ = writeln!(
        h,
        "<h3>Strikes</h3>\n<div class=\"scroll\"><table class=\"params\">\n<tr><th>Scenario</th>\
         <th>Munition</th><th>Carriers</th><th>Target, metres from the area's lower-left \
         corner</th><th>Aiming error (CEP)</th><th>Footprint radius</th></tr>"
    );
    for s in &file.scenarios {
        let placements = s.spatial().map(|sp| sp.placements());
        for (k, strike) in s.strikes.iter().enumerate() {
            let placed = placements.and_then(|p| p.get(k));
            let (target, cep, footprint) = match placed {
                Some(p) => {
                    let [x0, y0, x1, y1] = p.target;
                    let m = |v: f64| format::number(v);
                    (
                        format!("x {}\u{2013}{}, y {}\u{2013}{}", m(x0), m(x1), m(y0), m(y1)),
                        format!("{} m", m(p.cep_m)),
                        format!("{} m", m(p.footprint_radius_m)),
                    )
                }
                None => {
                    let not = "not placed (no area)".to_string();
                    (not, "-".to_string(), "-".to_string())
                }
            };
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&s.name),
                escape(&file.munition_of(strike).id),
                escape(&strike.carriers.to_string()),
                escape(&target),
                escape(&cep),
                escape(&footprint)
            );
        }
    }
    let _ = writeln!(h, "</table></div>");
    let areas: Vec<_> = file
        .scenarios
        .iter()
        .filter_map(|s| Some((s, s.area()?)))
        .collect();
    if areas.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<h3>Areas mapped</h3>\n<div class=\"scroll\"><table class=\"params\">\n<tr><th>Scenario</th>\
         <th>Width</th><th>Height</th><th>Cell</th><th>Coordinate system</th>\
         <th>Lower-left corner</th></tr>"
    );
    for (s, area) in areas {
        let (crs, origin) = match &area.georef {
            Some(g) => (
                format!("{} (EPSG:{})", g.crs_name(), g.epsg()),
                format!("{:.0} E, {:.0} N", g.origin[0], g.origin[1]),
            ),
            None => (
                "local metres (not placed on the Earth)".to_string(),
                "0, 0".to_string(),
            ),
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{} m</td><td>{} m</td><td>{} m</td><td>{}</td><td>{}</td></tr>",
            escape(&s.name),
            format::number(area.width_m),
            format::number(area.height_m),
            format::number(area.cell_m),
            escape(&crs),
            escape(&origin)
        );
    }
    let _ = writeln!(h, "</table></div>");
}

/// What follows the strikes in every scenario: clearance, encounters and
/// degradation, each rate with its unit, and the hazards that change
/// over time.
fn aftermath_table(h: &mut String, file: &ScenarioFile) {
    let _ = writeln!(
        h,
        "<h3>Aftermath</h3>\n<p class=\"meta\">A rate is the probability that its cause, \
         acting alone, removes a live submunition within one unit of time (its unit is \
         given); durations are in the same unit.</p>\n<div class=\"scroll\"><table class=\"params\">\n\
         <tr><th>Scenario</th><th>Clearance</th><th>Clearance rate</th><th>Encounter rate \
         (at first)</th><th>Encounter half-life</th><th>Encounter floor (share of the first \
         rate)</th><th>Degradation rate</th><th>Casualties per encounter</th></tr>"
    );
    for s in &file.scenarios {
        let _ = write!(h, "<tr><td>{}</td>", escape(&s.name));
        match &s.aftermath {
            Some(a) => {
                let unit = a.rate_unit.name();
                let units = charts_plural(unit, 2);
                let clearance = match &a.clearance_end {
                    Some(end) => format!("from {} to {end} {units}", a.clearance_start),
                    None => format!("from {} {units} on, to the horizon", a.clearance_start),
                };
                let (half_life, floor) = match &a.encounter_half_life {
                    Some(half_life) => (
                        format!("{half_life} {units}"),
                        a.encounter_floor.to_string(),
                    ),
                    None => (
                        "none: the rate stays at its first value".to_string(),
                        "-".to_string(),
                    ),
                };
                let _ = writeln!(
                    h,
                    "<td>{}</td><td>{} per {unit}</td><td>{} per {unit}</td><td>{}</td>\
                     <td>{}</td><td>{} per {unit}</td><td>{}</td></tr>",
                    escape(&clearance),
                    escape(&a.clearance_rate.to_string()),
                    escape(&a.encounter_rate.to_string()),
                    escape(&half_life),
                    escape(&floor),
                    escape(&a.degradation_rate.to_string()),
                    escape(&a.casualties_per_encounter.to_string()),
                );
            }
            None => {
                let _ = writeln!(h, "<td colspan=\"7\">no aftermath modelled</td></tr>");
            }
        }
    }
    let _ = writeln!(h, "</table></div>");
}

/// The scenario file's name and text, under a heading of level `level`.
pub(crate) fn scenario_file(h: &mut String, file: &ScenarioFile, level: &str) {
    let _ = writeln!(
        h,
        "<{level}>Scenario file</{level}>\n<p class=\"meta\">{}</p>\n<pre>{}</pre>",
        escape(&file.source_name),
        escape(&file.text)
    );
}

fn charts_plural(unit: &str, n: u32) -> String {
    if n == 1 {
        unit.to_string()
    } else {
        super::charts::plural(unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::StepSummary;

    fn mean(mean: f64) -> Summary {
        Summary {
            mean,
            ..Summary::default()
        }
    }

    /// A scenario leaving `uxo` unexploded and, with an aftermath of 120
    /// steps, `live` and `casualties` at its horizon.
    fn scenario(name: &str, uxo: f64, horizon: Option<(f64, f64)>) -> ScenarioSummary {
        let timeline = horizon.map_or(Vec::new(), |(live, casualties)| {
            (1..=120)
                .map(|step| StepSummary {
                    step,
                    live: mean(live),
                    cleared: mean(0.0),
                    encounters: mean(0.0),
                    casualties: mean(casualties),
                    released_ha: None,
                    residual_in_searched: None,
                })
                .collect()
        });
        ScenarioSummary {
            name: name.to_string(),
            submunitions: mean(72_000.0),
            unexploded: mean(uxo),
            timeline,
            contaminated_area_m2: None,
            uxo_outside_area: None,
            casualties_averted: None,
        }
    }

    fn run(scenarios: Vec<ScenarioSummary>) -> RunSummary {
        let file = ScenarioFile::parse("default", crate::scenario::default_text())
            .expect("the default scenario parses");
        RunSummary {
            schema_version: 1,
            inputs: crate::scenario::echo::Inputs::of(&file, 500, 1),
            seed: 1,
            replicates: 500,
            scenarios,
            title: "t".to_string(),
            step_unit: "month".to_string(),
            dudsim_version: "0".to_string(),
        }
    }

    #[test]
    fn the_headline_compares_the_most_and_the_fewest_in_round_figures() {
        let lines = headline(&run(vec![
            scenario("9M55K", 25_179.4, Some((7_102.0, 211.3))),
            scenario("M864 as claimed", 1_207.2, Some((332.0, 9.8))),
            scenario("M864 measured", 7_102.0, Some((1_973.0, 58.7))),
        ]));
        assert_eq!(
            lines,
            [
                "About 25,000 live unexploded submunitions would be left by \u{201c}9M55K\u{201d}, \
                 against about 1,200 by \u{201c}M864 as claimed\u{201d}: 21 times more.",
                "After 120 months, about 7,100 would still be live and about 210 people killed \
                 or injured in \u{201c}9M55K\u{201d}, against about 330 and 10 in \
                 \u{201c}M864 as claimed\u{201d}."
            ]
        );
    }

    #[test]
    fn the_headline_of_one_scenario_and_of_scenarios_without_aftermath() {
        let one = headline(&run(vec![scenario(
            "only",
            25_179.4,
            Some((7_102.0, 211.3)),
        )]));
        assert_eq!(
            one,
            [
                "About 25,000 of the 72,000 submunitions fired in \u{201c}only\u{201d} would be \
                 left live and unexploded after the strikes.",
                "After 120 months, about 7,100 would still be live, and about 210 people would \
                 have been killed or injured by them."
            ]
        );
        let bare = headline(&run(vec![
            scenario("a", 900.0, None),
            scenario("b", 300.0, None),
        ]));
        assert_eq!(
            bare,
            [
                "About 900 live unexploded submunitions would be left by \u{201c}a\u{201d}, \
              against about 300 by \u{201c}b\u{201d}: 3 times more."
            ]
        );
        assert!(headline(&run(Vec::new())).is_empty());
    }

    #[test]
    fn scenarios_leaving_as_many_uxo_are_told_apart_by_their_casualties() {
        let lines = headline(&run(vec![
            scenario("by risk", 25_200.0, Some((2_800.0, 400.0))),
            scenario("sweeping", 25_150.0, Some((4_900.0, 480.0))),
            scenario("none", 25_180.0, Some((5_000.0, 900.0))),
        ]));
        assert_eq!(
            lines[1],
            "After 120 months, about 5,000 would still be live and about 900 people killed or \
             injured in \u{201c}none\u{201d}, against about 2,800 and 400 in \u{201c}by risk\u{201d}."
        );
        let alike = headline(&run(vec![
            scenario("a", 1_000.0, Some((500.0, 20.0))),
            scenario("b", 1_010.0, Some((505.0, 20.5))),
        ]));
        assert_eq!(
            alike[1],
            "After 120 months, about 510 would still be live and about 21 people killed or \
             injured in each."
        );
    }

    #[test]
    fn clearance_plans_are_compared_by_the_casualties_they_avert() {
        let plan = |name: &str, averted: f64, casualties: f64| ScenarioSummary {
            casualties_averted: Some(mean(averted)),
            ..scenario(name, 25_100.0, Some((3_000.0, casualties)))
        };
        let lines = headline(&run(vec![
            plan("by risk", 204.5, 410.1),
            plan("sweeping", 131.8, 483.7),
            plan("at random", 134.1, 486.6),
        ]));
        assert_eq!(
            lines[1],
            "Of the clearance plans, \u{201c}by risk\u{201d} would avert the most casualties \
             by month 120: about 200, against about 130 in \u{201c}sweeping\u{201d} (about \
             410 people killed or injured against 480)."
        );
        let alike = headline(&run(vec![plan("a", 200.0, 400.0), plan("b", 201.0, 399.0)]));
        assert_eq!(
            alike[1],
            "The 2 clearance plans would avert about as many casualties by month 120: about \
             200 each."
        );
        // One plan beside a scenario without teams: the usual comparison.
        let one = headline(&run(vec![
            plan("by risk", 204.5, 410.1),
            scenario("none", 25_100.0, Some((6_000.0, 600.0))),
        ]));
        assert!(one[1].starts_with("After 120 months"), "{one:?}");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
