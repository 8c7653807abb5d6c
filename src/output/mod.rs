//! Outputs: the table on stdout, and the files in the output directory
//! (summary, CSV files, maps, charts, report), written all at once or not
//! at all (see [`StagedOutput`]); [`palette`] gives every scenario its
//! colour in the charts and the report.

pub mod calibration;
pub mod calibration_report;
pub mod charts;
pub mod csv;
pub mod draws;
pub mod maps;
pub mod palette;
pub mod partial;
mod plans_section;
pub mod report;
pub mod sensitivity_report;
mod staging;
pub mod table;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use calibration::write_calibration;
pub use staging::{MANIFEST, StagedOutput, prepare_target};

use crate::analysis::sensitivity::Analysis;
use crate::analysis::sweep::Sweep;
use crate::analysis::validate::{self, Validation};
use crate::engine::RunSettings;
use crate::error::Result;
use crate::scenario::ScenarioFile;
use crate::stats::{RunStats, RunSummary};

/// What [`write_results`] wrote.
pub struct Written {
    /// The figures written to `summary.json`.
    pub summary: RunSummary,
    /// Number of charts drawn.
    pub charts: usize,
    /// Time spent drawing charts and the report.
    pub drawing: Duration,
}

/// Writes every file of a finished run into `dir` (all at once): summary,
/// CSV files, maps, charts (unless `with_charts` is false) and the report.
/// `run` and `merge` both end here, so a merged run writes exactly what an
/// unsharded one does.
pub fn write_results(
    dir: &Path,
    file: &ScenarioFile,
    settings: &RunSettings,
    stats: &RunStats,
    with_charts: bool,
) -> Result<Written> {
    write_results_noted(dir, file, settings, stats, with_charts, None)
}

/// [`write_results`], with a note for the report on how the inputs were
/// drawn when not from the scenario file's ranges (`run --posterior`).
pub fn write_results_noted(
    dir: &Path,
    file: &ScenarioFile,
    settings: &RunSettings,
    stats: &RunStats,
    with_charts: bool,
    inputs_note: Option<&str>,
) -> Result<Written> {
    let mut summary = RunSummary::new(file, settings, stats);
    summary.inputs.posterior = inputs_note.map(str::to_string);
    let started = Instant::now();
    let charts = if with_charts {
        charts::run_charts(file, &summary, stats)?
    } else {
        Vec::new()
    };
    let page = report::render(file, &summary, &charts, inputs_note);
    let drawing = started.elapsed();

    let staged = StagedOutput::new(dir)?;
    staged.write_with("summary.json", |w| summary.write_json(w))?;
    staged.write_with("timeline.csv", |w| csv::timeline(w, &summary))?;
    maps::write_files(file, stats, &staged)?;
    staged.write_charts(&charts)?;
    staged.write("report.html", page)?;
    staged.commit()?;
    Ok(Written {
        summary,
        charts: charts.len(),
        drawing,
    })
}

/// Writes the partial result of a sharded run (`partial.json`) into `dir`,
/// for `merge`; returns the path of the file written.
pub fn write_shard(
    dir: &Path,
    file: &ScenarioFile,
    settings: &RunSettings,
    stats: RunStats,
) -> Result<PathBuf> {
    let staged = StagedOutput::new(dir)?;
    staged.write(
        partial::PARTIAL_FILE,
        partial::Partial::new(file, settings, stats).to_json(),
    )?;
    Ok(staged.commit()?.join(partial::PARTIAL_FILE))
}

/// Writes a sweep's files into `dir`: `sweep.csv` and, with charts, its
/// chart. Returns the directory written.
pub fn write_sweep(dir: &Path, sweep: &Sweep, with_charts: bool) -> Result<PathBuf> {
    let chart = if with_charts {
        let provenance = charts::provenance(
            &sweep.title,
            sweep.seed,
            &format!(
                "{} replicates per dud rate",
                crate::format::thousands(sweep.replicates as f64)
            ),
        );
        Some(charts::render(
            &charts::sweep::SweepChart::new(sweep),
            &provenance,
        )?)
    } else {
        None
    };
    let staged = StagedOutput::new(dir)?;
    staged.write("sweep.csv", csv::sweep(sweep))?;
    staged.write_charts(chart.as_slice())?;
    staged.commit()
}

/// Writes a sensitivity analysis's files into `dir`: `sensitivity.csv`,
/// with charts its tornado charts, and `sensitivity.html`. Returns the
/// directory written and the number of charts drawn.
pub fn write_sensitivity(
    dir: &Path,
    file: &ScenarioFile,
    analysis: &Analysis,
    with_charts: bool,
) -> Result<(PathBuf, usize)> {
    let charts = if with_charts {
        charts::tornado::charts(analysis, file)?
    } else {
        Vec::new()
    };
    let page = sensitivity_report::render(file, analysis, &charts);
    let staged = StagedOutput::new(dir)?;
    staged.write("sensitivity.csv", csv::sensitivity(analysis))?;
    staged.write_charts(&charts)?;
    staged.write(sensitivity_report::PAGE, page)?;
    Ok((staged.commit()?, charts.len()))
}

/// Writes a validation's files into `dir`: `validate.csv` and, with
/// charts, its chart. Returns the directory written.
pub fn write_validation(
    dir: &Path,
    rows: &[Validation],
    settings: &RunSettings,
    with_charts: bool,
) -> Result<PathBuf> {
    let chart = if with_charts {
        let figure = charts::context::LogRows::validation(rows, settings.replicates());
        let provenance = charts::provenance(
            &validate::campaigns().title,
            settings.seed(),
            &format!(
                "{} replicates per campaign",
                crate::format::thousands(settings.replicates() as f64)
            ),
        );
        Some(charts::render(&figure, &provenance)?)
    } else {
        None
    };
    let staged = StagedOutput::new(dir)?;
    staged.write("validate.csv", csv::validation(rows))?;
    staged.write_charts(chart.as_slice())?;
    staged.commit()
}
