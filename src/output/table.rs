//! The summary table printed on stdout after a run.

use super::summary::{RunSummary, ScenarioSummary};
use crate::format::{count_and_interval, percent};
// Callers outside `output` still reach these through here.
pub use crate::format::{count, ratio, thousands};
use crate::stats::Summary;
use crate::sweep::Sweep;

/// Mean with its 90% interval, e.g. `25,200 [21,900-28,500]`; just the
/// value when it does not vary.
pub fn mean_and_interval(s: &Summary) -> String {
    count_and_interval(s.mean, (s.min != s.max).then_some((s.p05, s.p95)))
}

/// An area in km² with its 90% interval, to two decimals.
fn square_km(s: &Summary) -> String {
    format!("{:.2} [{:.2}-{:.2}]", s.mean, s.p05, s.p95)
}

/// Live UXO and casualties at the horizon, for a table row.
fn horizon_cells(s: &ScenarioSummary) -> [String; 2] {
    match s.timeline.last() {
        Some(last) => [
            mean_and_interval(&last.live),
            mean_and_interval(&last.casualties),
        ],
        None => ["no aftermath".to_string(), "-".to_string()],
    }
}

/// The table: one row per scenario.
pub fn render(summary: &RunSummary) -> String {
    let unit = &summary.step_unit;
    let horizon = summary.horizon();
    let mut header = vec![
        "Scenario".to_string(),
        "Fired".to_string(),
        "Unexploded (UXO)".to_string(),
    ];
    if horizon > 0 {
        header.push(format!("Live UXO at {unit} {horizon}"));
        header.push(format!("Casualties by {unit} {horizon}"));
    }
    let spatial = summary
        .scenarios
        .iter()
        .any(|s| s.contaminated_area_m2.is_some());
    if spatial {
        header.push("Contaminated km2".to_string());
    }
    header.push("UXO vs first".to_string());

    let first_mean = summary
        .scenarios
        .first()
        .map_or(f64::NAN, |s| s.unexploded.mean);
    let rows: Vec<Vec<String>> = summary
        .scenarios
        .iter()
        .map(|s| {
            let mut row = vec![
                s.name.clone(),
                mean_and_interval(&s.submunitions),
                mean_and_interval(&s.unexploded),
            ];
            if horizon > 0 {
                row.extend(horizon_cells(s));
            }
            if spatial {
                row.push(match &s.contaminated_area_m2 {
                    Some(a) => square_km(&a.scaled(1e-6)),
                    None => "-".to_string(),
                });
            }
            row.push(ratio(s.unexploded.mean / first_mean));
            row
        })
        .collect();

    let mut out = String::new();
    out.push_str(&summary.title);
    out.push('\n');
    out.push_str(&format!(
        "{} replicates, seed {}. Means, with 90% intervals (5th-95th percentile) in brackets.\n\n",
        count(summary.replicates as f64),
        summary.seed
    ));
    out.push_str(&grid(&header, &rows));
    out
}

/// Columns aligned under a header: the first left-aligned, the others
/// right-aligned, with a rule under the header.
fn grid(header: &[String], rows: &[Vec<String>]) -> String {
    let columns = header.len();
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([header[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| -> String {
        let mut out = String::new();
        for (c, cell) in cells.iter().enumerate() {
            let pad = widths[c] - cell.chars().count();
            if c == 0 {
                out.push_str(cell);
                out.push_str(&" ".repeat(pad));
            } else {
                out.push_str("  ");
                out.push_str(&" ".repeat(pad));
                out.push_str(cell);
            }
        }
        out.trim_end().to_string()
    };
    let mut out = line(header);
    out.push('\n');
    out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * (columns - 1)));
    out.push('\n');
    for row in rows {
        out.push_str(&line(row));
        out.push('\n');
    }
    out
}

/// The table of a dud-rate sweep: one block per scenario, one row per rate.
pub fn sweep(sweep: &Sweep) -> String {
    let unit = &sweep.step_unit;
    let horizon = sweep.horizon();
    let mut out = format!(
        "{}\nDud-rate sweep: every munition's dud rate fixed at each value in turn. \
         {} replicates per value, seed {}.\nMeans, with 90% intervals (5th-95th percentile) in brackets.\n",
        sweep.title,
        count(sweep.replicates as f64),
        sweep.seed
    );
    for (i, name) in sweep.scenarios.iter().enumerate() {
        let mut header = vec!["Dud rate".to_string(), "Unexploded (UXO)".to_string()];
        if horizon > 0 {
            header.push(format!("Live UXO at {unit} {horizon}"));
            header.push(format!("Casualties by {unit} {horizon}"));
        }
        let rows: Vec<Vec<String>> = sweep
            .points
            .iter()
            .filter_map(|p| {
                let s = p.scenarios.get(i)?;
                let mut row = vec![percent(p.dud_rate), mean_and_interval(&s.unexploded)];
                if horizon > 0 {
                    row.extend(match &s.horizon {
                        Some(h) => [mean_and_interval(&h.live), mean_and_interval(&h.casualties)],
                        None => ["no aftermath".to_string(), "-".to_string()],
                    });
                }
                Some(row)
            })
            .collect();
        out.push_str(&format!("\n{name}\n"));
        out.push_str(&grid(&header, &rows));
    }
    out
}
