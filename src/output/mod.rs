//! Outputs: the table on stdout, and the files in the output directory
//! (summary, CSV files, maps, charts, report), written all at once or not
//! at all (see [`StagedOutput`]); [`palette`] gives every scenario its
//! colour in the charts and the report.

pub mod charts;
pub mod csv;
pub mod maps;
pub mod palette;
pub mod partial;
pub mod report;
pub mod sensitivity_report;
mod staging;
pub mod summary;
pub mod table;

use std::path::Path;
use std::time::{Duration, Instant};

pub use staging::{MANIFEST, StagedOutput, prepare_target};

use crate::error::Result;
use crate::scenario::ScenarioFile;
use crate::stats::RunStats;
use summary::RunSummary;

/// What [`write_results`] wrote.
pub struct Written {
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
    stats: &RunStats,
    with_charts: bool,
) -> Result<Written> {
    let summary = RunSummary::new(file, stats);
    let started = Instant::now();
    let charts = if with_charts {
        charts::run_charts(file, &summary, stats)?
    } else {
        Vec::new()
    };
    let page = report::render(file, &summary, &charts);
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
