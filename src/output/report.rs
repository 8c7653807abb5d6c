//! `report.html`: one self-contained page a journalist can attach to an
//! email and open anywhere: the summary table, every chart inline as SVG,
//! the model's assumptions in plain words and the parameters needed to
//! reproduce the run. No scripts, no external files, no network.

use std::fmt::Write;

use super::charts::Chart;
use super::palette;
use super::plans_section::PLAN_CHARTS;
use crate::format::{count, ratio, three_significant};
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
body { font-family: -apple-system, 'Segoe UI', 'DejaVu Sans', Helvetica, Arial, sans-serif;
       max-width: 1240px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.meta { color: #555; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { padding: 0.35em 0.8em; border-bottom: 1px solid #ddd; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
th { background: #f4f4f4; }
td.step { text-align: right; }
td small { color: #555; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.4em; vertical-align: -0.1em; }
figure { margin: 2em 0; }
figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #444; max-width: 60em; }
pre { background: #f7f7f7; padding: 1em; overflow-x: auto; font-size: 0.9em; }
.scroll { overflow-x: auto; }
.note { background: #fff8e6; padding: 0.6em 1em; border-left: 4px solid #e69f00; }
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
    let _ = writeln!(
        h,
        "<p class=\"meta\">A Monte Carlo simulation by dudsim {} of unexploded cluster \
         submunitions: {} replicates, seed {}.</p>",
        escape(&summary.dudsim_version),
        count(summary.replicates as f64),
        summary.seed
    );
    let _ = writeln!(
        h,
        "<p>Each replicate is one possible outcome of the scenarios below, drawn \
         with the uncertain inputs (dud rates, clearance and encounter rates) varied \
         within the ranges the scenario file gives. Figures are means over the \
         replicates; the ranges in small print hold the middle 90% of them \
         (5th to 95th percentile).</p>"
    );
    if let Some(note) = inputs_note {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(note));
    }

    summary_table(&mut h, summary);
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

/// One chart with its caption.
pub(crate) fn figure(h: &mut String, chart: &Chart) {
    let _ = writeln!(
        h,
        "<figure id=\"{}\">\n{}\n<figcaption><strong>{}.</strong> {}</figcaption>\n</figure>",
        escape(&chart.name),
        inline_svg(&chart.svg, &chart.title),
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

fn cell(s: &Summary) -> String {
    if s.min == s.max {
        count(s.mean)
    } else {
        format!(
            "{}<br><small>{} to {}</small>",
            count(s.mean),
            count(s.p05),
            count(s.p95)
        )
    }
}

fn name_cell(i: usize, s: &ScenarioSummary) -> String {
    scenario_name(i, &s.name)
}

/// Scenario `i`'s name after a swatch of its colour in the charts.
pub(crate) fn scenario_name(i: usize, name: &str) -> String {
    format!(
        "<span class=\"swatch\" style=\"background:{}\"></span>{}",
        palette::scenario(i).hex(),
        escape(name)
    )
}

fn summary_table(h: &mut String, summary: &RunSummary) {
    let unit = escape(&summary.step_unit);
    let horizon = summary.horizon();
    let _ = writeln!(
        h,
        "<h2>Summary</h2>\n<table>\n<tr><th>Scenario</th><th>Submunitions fired</th><th>Unexploded (UXO) after the strikes</th>"
    );
    if horizon > 0 {
        let _ = write!(
            h,
            "<th>Live UXO at {unit} {horizon}</th><th>Casualties by {unit} {horizon}</th>"
        );
    }
    let _ = writeln!(h, "<th>UXO vs first scenario</th></tr>");
    let first = summary
        .scenarios
        .first()
        .map_or(f64::NAN, |s| s.unexploded.mean);
    for (i, s) in summary.scenarios.iter().enumerate() {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td>",
            name_cell(i, s),
            cell(&s.submunitions),
            cell(&s.unexploded)
        );
        if horizon > 0 {
            match s.timeline.last() {
                Some(last) => {
                    let _ = write!(
                        h,
                        "<td>{}</td><td>{}</td>",
                        cell(&last.live),
                        cell(&last.casualties)
                    );
                }
                None => {
                    let _ = write!(h, "<td>no aftermath</td><td>-</td>");
                }
            }
        }
        let ratio = ratio(s.unexploded.mean / first);
        let _ = writeln!(h, "<td>{}</td></tr>", ratio.replace('x', "&times;"));
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
        "<h2>Over time</h2>\n<table>\n<tr><th>Scenario</th><th>After {unit}</th>\
         <th>Live UXO</th><th>Cleared so far</th><th>Casualties so far</th></tr>"
    );
    for (i, s) in summary.scenarios.iter().enumerate() {
        let rows: Vec<_> = steps
            .iter()
            .filter_map(|&step| s.timeline.get(step - 1))
            .collect();
        for (k, t) in rows.iter().enumerate() {
            let name = if k == 0 {
                format!("<td rowspan=\"{}\">{}</td>", rows.len(), name_cell(i, s))
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
    let _ = writeln!(h, "</table>");
}

/// An area in km², mean and 90% interval, from a summary in m².
fn area_cell(s: &Summary) -> String {
    let km2 = |m2: f64| three_significant(m2 / 1e6);
    if s.min == s.max {
        format!("{} km²", km2(s.mean))
    } else {
        format!(
            "{} km²<br><small>{} to {}</small>",
            km2(s.mean),
            km2(s.p05),
            km2(s.p95)
        )
    }
}

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
         fell outside the mapped area are not in it.</p>\n<table>\n<tr><th>Scenario</th>\
         <th>Area mapped</th><th>Placed</th><th>Contaminated area</th><th>UXO in the area</th>\
         <th>UXO outside the area</th></tr>"
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
            Some(o) => (count(s.unexploded.mean - o.mean), cell(o)),
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
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            name_cell(i, s),
            escape(&mapped),
            escape(&placed),
            contaminated,
            inside,
            outside
        );
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
        "<h2>Parameters</h2>\n<table>\n\
         <tr><th>Seed</th><td>{}</td></tr>\n\
         <tr><th>Replicates</th><td>{}</td></tr>\n\
         <tr><th>Aftermath horizon</th><td>{} {}</td></tr>\n\
         <tr><th>Scenario file</th><td>{}</td></tr>\n\
         <tr><th>dudsim version</th><td>{}</td></tr>\n</table>\n\
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
        "<h3>Munitions</h3>\n<table>\n<tr><th>Munition</th><th>Submunitions per carrier</th>\
         <th>Dud rate</th><th>Self-destruct works</th><th>Lot-to-lot concentration</th></tr>"
    );
    for m in &file.munitions {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&m.id),
            count(m.submunitions as f64),
            escape(&m.dud_rate.to_string()),
            escape(&m.self_destruct.to_string()),
            m.lot_concentration
                .map_or("none".to_string(), |k| k.to_string())
        );
    }
    let _ = writeln!(h, "</table>");

    let _ = writeln!(
        h,
        "<h3>Scenarios</h3>\n<table>\n<tr><th>Scenario</th><th>Strikes</th><th>Clearance</th>\
         <th>Clearance rate</th><th>Encounter rate</th><th>Encounter half-life, floor</th>\
         <th>Degradation rate</th><th>Casualties per encounter</th></tr>"
    );
    for s in &file.scenarios {
        let strikes = s
            .strikes
            .iter()
            .map(|k| format!("{} carriers of {}", k.carriers, file.munition_of(k).id))
            .collect::<Vec<_>>()
            .join("; ");
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td>",
            escape(&s.name),
            escape(&strikes)
        );
        match &s.aftermath {
            Some(a) => {
                let unit = a.rate_unit.name();
                let units = charts_plural(unit, 2);
                let clearance = match &a.clearance_end {
                    Some(end) => format!("from {} to {end} {units}", a.clearance_start),
                    None => format!("from {} {units} on", a.clearance_start),
                };
                let decline = match &a.encounter_half_life {
                    Some(half_life) => {
                        format!("{half_life} {units}, floor {}", a.encounter_floor)
                    }
                    None => "constant".to_string(),
                };
                let _ = writeln!(
                    h,
                    "<td>{}</td><td>{} per {unit}</td><td>{} per {unit}</td><td>{}</td>\
                     <td>{} per {unit}</td><td>{}</td></tr>",
                    escape(&clearance),
                    escape(&a.clearance_rate.to_string()),
                    escape(&a.encounter_rate.to_string()),
                    escape(&decline),
                    escape(&a.degradation_rate.to_string()),
                    escape(&a.casualties_per_encounter.to_string()),
                );
            }
            None => {
                let _ = writeln!(h, "<td colspan=\"6\">no aftermath modelled</td></tr>");
            }
        }
    }
    let _ = writeln!(h, "</table>");

    scenario_file(h, file, "h3");
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

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
