//! CSV files: `timeline.csv` (one row per scenario, step and quantity).

use std::fmt::Write;

use super::summary::RunSummary;
use crate::stats::Summary;

/// Quotes a CSV field when it needs it (RFC 4180).
pub fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The columns of a [`Summary`], in `summary.json` order.
pub const SUMMARY_COLUMNS: &str = "mean,sd,se,min,max,p05,p25,p50,p75,p95,p99";

/// A [`Summary`] as CSV fields.
pub fn summary_fields(s: &Summary) -> String {
    [
        s.mean, s.sd, s.se, s.min, s.max, s.p05, s.p25, s.p50, s.p75, s.p95, s.p99,
    ]
    .iter()
    .map(|x| x.to_string())
    .collect::<Vec<_>>()
    .join(",")
}

/// `timeline.csv`: long format, easy to filter and pivot.
pub fn timeline(summary: &RunSummary) -> String {
    let mut out = format!("scenario,step,quantity,{SUMMARY_COLUMNS}\n");
    for scenario in &summary.scenarios {
        let name = field(&scenario.name);
        for step in &scenario.timeline {
            for (quantity, s) in [
                ("live", &step.live),
                ("cleared", &step.cleared),
                ("encounters", &step.encounters),
                ("casualties", &step.casualties),
            ] {
                let _ = writeln!(out, "{name},{},{quantity},{}", step.step, summary_fields(s));
            }
        }
    }
    out
}
