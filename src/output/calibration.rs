//! The files of `dudsim calibrate`: `posterior.csv` (the weighted
//! particles, for `dudsim run --posterior`), `calibration.csv` (each
//! input's prior and posterior), `predictive.csv` (each count of the
//! records against what the fitted scenario simulates for it), the chart
//! `calibration` and the page `calibration.html`, written all at once.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::calibration_report;
use super::charts;
use super::csv::field;
use super::staging::StagedOutput;
use crate::analysis::calibration::Calibrated;
use crate::calibrate::ParameterSummary;
use crate::error::Result;

/// The posterior sample's file.
pub const POSTERIOR_FILE: &str = "posterior.csv";

/// `calibration.csv`: one row per input, its prior and posterior (median,
/// 90% interval, mean and standard deviation), numbers in full precision.
pub fn parameters_csv(c: &Calibrated) -> String {
    let mut out = String::from(
        "input,prior,prior_p05,prior_p50,prior_p95,posterior_p05,posterior_p50,posterior_p95,\
         posterior_mean,posterior_sd,width_ratio\n",
    );
    for p in &c.parameters {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}",
            field(&p.name),
            field(&p.prior_written),
            p.prior.q05,
            p.prior.median,
            p.prior.q95,
            p.posterior.q05,
            p.posterior.median,
            p.posterior.q95,
            p.posterior.mean,
            p.posterior.sd,
            p.narrowing()
        );
    }
    out
}

/// `predictive.csv`: one row per count of the records file, in its order:
/// the period, the count, whether it was fitted, and the quantiles of the
/// count the fitted scenario simulates for that period.
pub fn predictive_csv(c: &Calibrated) -> String {
    let mut out = String::from(
        "observation,quantity,from,to,count,fitted,p05,p25,p50,p75,p95,in_90,line,source\n",
    );
    for o in &c.observations {
        let r = &o.record;
        let b = o.band;
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            field(r.label()),
            r.quantity(),
            r.from().map_or(String::new(), |f| f.to_string()),
            r.to(),
            r.count(),
            !o.held_out,
            b.q05,
            b.q25,
            b.median,
            b.q75,
            b.q95,
            o.in_90(),
            r.line(),
            field(r.source().unwrap_or(""))
        );
    }
    out
}

fn summary_json(s: &ParameterSummary) -> serde_json::Value {
    json!({
        "mean": s.mean,
        "sd": s.sd,
        "p05": s.q05,
        "p50": s.median,
        "p95": s.q95,
    })
}

/// What `dudsim calibrate --json` prints: the fit, each input's prior and
/// posterior, each count against its predictive distribution.
pub fn json(c: &Calibrated) -> String {
    let value = json!({
        "scenario_file": c.file.source_name(),
        "records_file": c.records.source_name(),
        "scenario": c.scenario,
        "particles": c.options.particles,
        "seed": c.options.seed,
        "hold_out": c.options.hold_out,
        "stop": c.stop.to_string(),
        "fit_simulations": c.fit_simulations,
        "predictive_simulations": c.predictive_simulations,
        "tolerance_per_observation": c.tolerance_per_observation,
        "effective_sample_size": c.posterior.effective_sample_size(),
        "generations": c.generations.iter().map(|g| json!({
            "generation": g.generation,
            "tolerance": g.tolerance,
            "acceptance_rate": g.acceptance_rate,
            "effective_sample_size": g.effective_sample_size,
            "simulations": g.simulations,
        })).collect::<Vec<_>>(),
        "parameters": c.parameters.iter().map(|p| json!({
            "input": p.name,
            "label": p.label,
            "prior_written": p.prior_written,
            "prior": summary_json(&p.prior),
            "posterior": summary_json(&p.posterior),
        })).collect::<Vec<_>>(),
        "observations": c.observations.iter().map(|o| json!({
            "observation": o.record.label(),
            "quantity": o.record.quantity().name(),
            "from": o.record.from(),
            "to": o.record.to(),
            "count": o.record.count(),
            "fitted": !o.held_out,
            "p05": o.band.q05,
            "p25": o.band.q25,
            "p50": o.band.median,
            "p75": o.band.q75,
            "p95": o.band.q95,
            "in_90": o.in_90(),
        })).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&value).expect("JSON values serialise");
    text.push('\n');
    text
}

/// Writes a calibration's files into `dir`, all at once: `posterior.csv`,
/// `calibration.csv`, `predictive.csv`, with charts the chart
/// `calibration` (PNG and SVG), `calibration.html`, and the `extra` files
/// given as (name, text) (the inputs of a shipped example). Returns the
/// directory written and the number of charts drawn.
pub fn write_calibration(
    dir: &Path,
    calibrated: &Calibrated,
    with_charts: bool,
    extra: &[(&str, &str)],
) -> Result<(PathBuf, usize)> {
    let chart = if with_charts {
        let provenance = charts::provenance(
            calibrated.file.title(),
            calibrated.options.seed,
            &format!(
                "{} particles",
                crate::format::thousands(calibrated.options.particles as f64)
            ),
        );
        Some(charts::draw_chart(
            &charts::calibration::CalibrationChart::new(calibrated),
            None,
            &provenance,
            true,
        )?)
    } else {
        None
    };
    let page = calibration_report::render(calibrated, chart.as_ref());
    let staged = StagedOutput::new(dir)?;
    staged.write_with(POSTERIOR_FILE, |mut w| {
        calibrated.posterior.write_csv(&mut w)
    })?;
    staged.write("calibration.csv", parameters_csv(calibrated))?;
    staged.write("predictive.csv", predictive_csv(calibrated))?;
    staged.write_charts(chart.as_slice())?;
    staged.write(calibration_report::PAGE, page)?;
    for (name, text) in extra {
        staged.write(name, text)?;
    }
    Ok((staged.commit()?, chart.iter().count()))
}
