//! CSV files: `timeline.csv` (one row per scenario, step and quantity) and
//! `sweep.csv` (one row per scenario and dud rate).

use std::fmt::Write;
use std::io;

use crate::analysis::sensitivity::Analysis;
use crate::analysis::sweep::Sweep;
use crate::analysis::validate::{Validation, citations};
use crate::stats::{RunSummary, Summary};

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

/// Writes `timeline.csv`: long format, easy to filter and pivot. Written
/// row by row, as it can run to millions of rows.
pub fn timeline<W: io::Write + ?Sized>(out: &mut W, summary: &RunSummary) -> io::Result<()> {
    writeln!(out, "scenario,step,quantity,{SUMMARY_COLUMNS}")?;
    for scenario in &summary.scenarios {
        let name = field(&scenario.name);
        for step in &scenario.timeline {
            for (quantity, s) in [
                ("live", Some(&step.live)),
                ("cleared", Some(&step.cleared)),
                ("encounters", Some(&step.encounters)),
                ("casualties", Some(&step.casualties)),
                ("released_ha", step.released_ha.as_ref()),
                ("residual_in_searched", step.residual_in_searched.as_ref()),
            ] {
                if let Some(s) = s {
                    writeln!(out, "{name},{},{quantity},{}", step.step, summary_fields(s))?;
                }
            }
        }
    }
    Ok(())
}

/// `sweep.csv`: one row per scenario and dud rate, with the UXO after the
/// strikes and, at the horizon (step `horizon`), live UXO and cumulative
/// casualties; mean, 5th and 95th percentile of each. The horizon columns
/// are empty for a scenario without aftermath.
pub fn sweep(sweep: &Sweep) -> String {
    // The second column is named after what is swept.
    let mut out = format!(
        "scenario,{},uxo_mean,uxo_p05,uxo_p95,horizon,live_mean,live_p05,live_p95,\
         casualties_mean,casualties_p05,casualties_p95\n",
        field(&sweep.parameter)
    );
    for (i, name) in sweep.scenarios.iter().enumerate() {
        let name = field(name);
        for point in &sweep.points {
            let Some(s) = point.scenarios.get(i) else {
                continue;
            };
            let u = &s.unexploded;
            let _ = write!(out, "{name},{},{},{},{}", point.value, u.mean, u.p05, u.p95);
            match &s.horizon {
                Some(last) => {
                    let _ = writeln!(
                        out,
                        ",{},{},{},{},{},{},{}",
                        last.step,
                        last.live.mean,
                        last.live.p05,
                        last.live.p95,
                        last.casualties.mean,
                        last.casualties.p05,
                        last.casualties.p95
                    );
                }
                None => {
                    let _ = writeln!(out, ",,,,,,,");
                }
            }
        }
    }
    out
}

/// `sensitivity.csv`: `scenario,output,input,importance`.
pub fn sensitivity(analysis: &Analysis) -> String {
    let mut out = String::from("scenario,output,input,importance\n");
    for r in &analysis.rows {
        out.push_str(&format!(
            "{},{},{},{}\n",
            field(&r.scenario),
            r.output,
            field(&r.input),
            r.index.estimate
        ));
    }
    out
}

/// `validate.csv`.
pub fn validation(rows: &[Validation]) -> String {
    let mut out =
        String::from("campaign,submunitions,published_estimate,p05,p50,p95,covered,source\n");
    for v in rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            field(v.published.campaign),
            v.submunitions,
            v.published.unexploded,
            v.p05,
            v.p50,
            v.p95,
            v.covered,
            field(&citations(v))
        ));
    }
    out
}
