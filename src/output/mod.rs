//! Outputs: the table on stdout, and the files of SPEC §4 in the output
//! directory (summary, CSV files, charts, report), written all at once or
//! not at all.

pub mod charts;
pub mod csv;
pub mod maps;
pub mod partial;
pub mod report;
pub mod sensitivity_report;
pub mod summary;
pub mod table;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
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
    staged.write("summary.json", summary.to_json())?;
    staged.write("timeline.csv", csv::timeline(&summary))?;
    for (name, text) in maps::files(file, stats) {
        staged.write(&name, text)?;
    }
    staged.write_charts(&charts)?;
    staged.write("report.html", page)?;
    staged.commit()?;
    Ok(Written {
        summary,
        charts: charts.len(),
        drawing,
    })
}

/// Refuses an output directory that cannot be one (an existing file), as
/// bad input, so that a command can say so before it computes anything.
pub fn check_target(target: &Path) -> Result<()> {
    if target.exists() && !target.is_dir() {
        return Err(Error::usage(format!(
            "--out {}: it exists and is not a directory",
            target.display()
        )));
    }
    Ok(())
}

/// Files destined for an output directory, staged in a sibling directory
/// and moved in only when all are written, so that a failure never leaves a
/// half-written output directory behind.
pub struct StagedOutput {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl StagedOutput {
    /// Starts staging files for `target`.
    pub fn new(target: &Path) -> Result<Self> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "dudsim-out".to_string());
        check_target(target)?;
        fs::create_dir_all(&parent).map_err(|e| io_failure(&parent, e))?;
        let staging = parent.join(format!(".{name}.dudsim-{}", std::process::id()));
        if staging.exists() {
            let _ = fs::remove_dir_all(&staging);
        }
        fs::create_dir(&staging).map_err(|e| io_failure(&staging, e))?;
        Ok(StagedOutput {
            target: target.to_path_buf(),
            staging,
            committed: false,
        })
    }

    /// Writes one file into the staging area.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> Result<()> {
        let path = self.staging.join(name);
        fs::write(&path, contents).map_err(|e| io_failure(&self.target.join(name), e))
    }

    /// Writes every chart as `NAME.png` and `NAME.svg`.
    pub fn write_charts(&self, charts: &[charts::Chart]) -> Result<()> {
        for chart in charts {
            self.write(&format!("{}.png", chart.name), &chart.png)?;
            self.write(&format!("{}.svg", chart.name), &chart.svg)?;
        }
        Ok(())
    }

    /// Moves every staged file into the target directory.
    pub fn commit(mut self) -> Result<PathBuf> {
        if !self.target.exists() {
            fs::rename(&self.staging, &self.target).map_err(|e| io_failure(&self.target, e))?;
        } else {
            for entry in fs::read_dir(&self.staging).map_err(|e| io_failure(&self.staging, e))? {
                let entry = entry.map_err(|e| io_failure(&self.staging, e))?;
                let dest = self.target.join(entry.file_name());
                fs::rename(entry.path(), &dest).map_err(|e| io_failure(&dest, e))?;
            }
            let _ = fs::remove_dir(&self.staging);
        }
        self.committed = true;
        Ok(self.target.clone())
    }
}

impl Drop for StagedOutput {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

fn io_failure(path: &Path, e: std::io::Error) -> Error {
    Error::failure(format!("cannot write {}: {e}", path.display()))
}
