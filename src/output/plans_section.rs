//! The report's section on clearance plans on the map: for each scenario
//! whose teams search the map, what its plan is, the casualties it averts,
//! the land it releases and the live UXO left in that land, then the
//! charts that compare the plans and map what is left.

use std::fmt::Write as _;

use super::charts::Chart;
use super::report::{cell_in as cell, escape, figure, scenario_name};
use crate::scenario::{ScenarioFile, SearchOrder};
use crate::stats::RunSummary;

/// The charts shown in this section, in page order.
pub(crate) const PLAN_CHARTS: [&str; 3] = ["plans", "live-uxo-maps", "residual-risk-map"];

fn order_text(order: SearchOrder) -> &'static str {
    match order {
        SearchOrder::Density => "densest cells first",
        SearchOrder::Risk => "riskiest cells first (UXO × exposure)",
        SearchOrder::Exposure => "most-used cells first",
        SearchOrder::Sweep => "row by row",
        SearchOrder::Random => "at random",
    }
}

/// Writes the section; nothing when no scenario's teams search the map.
pub(crate) fn section(
    h: &mut String,
    file: &ScenarioFile,
    summary: &RunSummary,
    charts: &[&Chart],
) {
    let rows: Vec<_> = file
        .scenarios
        .iter()
        .zip(&summary.scenarios)
        .enumerate()
        .filter_map(|(i, (scenario, s))| {
            let teams = scenario.spatial()?.teams()?;
            let last = s.timeline.last()?;
            Some((i, scenario, teams, s, last))
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    let unit = escape(&summary.step_unit);
    let horizon = summary.horizon();
    let _ = writeln!(
        h,
        "<h2>Clearance plans on the map</h2>\n<p>Teams search the map cell by cell in \
         the order each plan sets, finding each UXO of a cell they search with the \
         detection probability. <em>Casualties averted</em> compares each replicate \
         with the same replicate without clearance (the same duds, the same \
         encounters), so that the difference is the plan's alone. <em>Released</em> \
         land has been searched at least once; because detection is imperfect it can \
         still hold live UXO, counted in the last column.</p>"
    );
    let _ = writeln!(
        h,
        "<div class=\"scroll\"><table>\n<tr><th>Scenario</th><th>Plan</th>\
         <th>Casualties by {unit} {horizon}</th><th>Casualties averted</th>\
         <th>Land released by {unit} {horizon}</th>\
         <th>Live UXO left in released land</th></tr>"
    );
    for (i, scenario, teams, s, last) in &rows {
        let rate_unit = scenario
            .aftermath()
            .map_or(summary.step_unit.clone(), |a| a.rate_unit().to_string());
        let plan = format!(
            "{}, {} pass{}; {} ha per {}; detection {}",
            order_text(teams.order),
            teams.passes,
            if teams.passes == 1 { "" } else { "es" },
            teams.capacity_ha,
            rate_unit,
            teams.detection
        );
        let averted = s
            .casualties_averted
            .as_ref()
            .map_or("-".to_string(), |a| cell(a, ""));
        let released = last
            .released_ha
            .as_ref()
            .map_or("-".to_string(), |r| cell(r, " ha"));
        let residual = last
            .residual_in_searched
            .as_ref()
            .map_or("-".to_string(), |r| cell(r, ""));
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            scenario_name(*i, &s.name),
            escape(&plan),
            cell(&last.casualties, ""),
            averted,
            released,
            residual
        );
    }
    let _ = writeln!(h, "</table></div>");
    for name in PLAN_CHARTS {
        charts
            .iter()
            .filter(|c| c.name == name)
            .for_each(|c| figure(h, c));
    }
}
